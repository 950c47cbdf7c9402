/** The shapes of the X API v2 answers this provider reads (only the fields it asks for). */

export interface XUser {
  id: string;
  name?: string;
  username?: string;
  profile_image_url?: string;
}

export interface XMedia {
  media_key: string;
  /** photo, video or animated_gif. */
  type?: string;
  /** Only photos have one. */
  url?: string;
}

export interface XDmEvent {
  /** A 64-bit snowflake as a decimal string: never parse it to a Number. */
  id: string;
  event_type?: string;
  text?: string;
  sender_id?: string;
  dm_conversation_id?: string;
  /** ISO 8601. */
  created_at?: string;
  attachments?: { media_keys?: string[] };
  participant_ids?: string[];
}

/** GET /2/dm_events: newest first, `meta.next_token` leads to older events. */
export interface XDmEventsPage {
  data?: XDmEvent[];
  includes?: { users?: XUser[]; media?: XMedia[] };
  meta?: { result_count?: number; next_token?: string };
}

/** POST /2/oauth2/token. */
export interface XTokenResponse {
  token_type: string;
  access_token: string;
  /** Seconds. */
  expires_in?: number;
  /** Absent when the authorization lacks `offline.access`. */
  refresh_token?: string;
  scope?: string;
}

/** POST /2/dm_conversations/with/:participant_id/messages (201). */
export interface XSentMessage {
  data: { dm_conversation_id: string; dm_event_id: string };
}

/** X's errors: problem details (`{title, detail, type}`), the legacy `{errors: [{message}]}`, or OAuth's `{error, error_description}`. */
export interface XErrorBody {
  title?: string;
  detail?: string;
  type?: string;
  errors?: { message?: string; detail?: string; title?: string }[];
  error?: string;
  error_description?: string;
}
