export { ChatModule } from './chat.module.js';
export { ChatService } from './services/chat.service.js';
export { ChatRoomSchema, CreateChatRoomSchema, type ChatRoomView, type CreateChatRoomDto } from './dto/chat-rooms.dto.js';
