/** The Bot API shapes this provider reads from method results (only the fields it uses). */

/** Every Bot API answer: `result` when ok, else `error_code`, `description` and maybe `parameters`. */
export interface TelegramEnvelope<T> {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export interface TelegramBotUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
}

export interface TelegramSentMessage {
  message_id: number;
  chat: { id: number };
}

export interface TelegramFile {
  file_id: string;
  file_unique_id: string;
  file_size?: number;
  /** Absent when the file is too big for bots to download (over 20 MB). */
  file_path?: string;
}

export interface TelegramPhotoSize {
  file_id: string;
  width: number;
  height: number;
}

export interface TelegramUserProfilePhotos {
  total_count: number;
  /** Each photo in up to four sizes. */
  photos: TelegramPhotoSize[][];
}

export interface SetWebhookParams {
  url: string;
  secret_token: string;
  allowed_updates: string[];
}

/** The part of sendMessage/sendPhoto/sendDocument this service fills in. */
export type SendParams =
  | { method: 'sendMessage'; body: { chat_id: number | string; text: string } }
  | { method: 'sendPhoto'; body: { chat_id: number | string; photo: string; caption?: string } }
  | { method: 'sendDocument'; body: { chat_id: number | string; document: string; caption?: string } };
