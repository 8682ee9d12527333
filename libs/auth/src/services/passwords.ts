import bcrypt from 'bcryptjs';

const COST = 10;

/** The one password hash of the product: login compares against what this makes. */
export const hashPassword = (password: string): Promise<string> => bcrypt.hash(password, COST);
