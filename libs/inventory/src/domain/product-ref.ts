/** What stock code needs to know of a product: enough to name it in a movement or an alert. */
export interface ProductRef {
  id: string;
  sku: string;
  name: string;
}
