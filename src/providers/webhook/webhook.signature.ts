import { hmacSha256Signature, isValidHmacSha256Signature } from '../../common/crypto/hmac-signature';

export const SIGNATURE_HEADER = 'x-signature-256';

/** The X-Signature-256 value of a custom-channel body, keyed with the channel secret. */
export const signBody = hmacSha256Signature;
export const isValidSignature = isValidHmacSha256Signature;
