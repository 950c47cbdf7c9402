import { hmacSha256Signature, isValidHmacSha256Signature } from '../../../common/crypto/hmac-signature';
import { secretsEqual } from '../../../common/crypto/secret-box';
import { AppError } from '../../../common/errors/app-error';
import { InboundRequest } from '../../../messaging/contracts/channel-context';
import { ChallengeAnswer } from '../../../messaging/contracts/provider-workers';

/** Meta signs every webhook POST: `sha256=<hex HMAC-SHA256 of the raw body keyed with the App Secret>`. */
export const HUB_SIGNATURE_HEADER = 'x-hub-signature-256';

/** The header Meta would sign `rawBody` with. */
export function hubSignatureHeaders(rawBody: Buffer | string, appSecret: string): Record<string, string> {
  return { [HUB_SIGNATURE_HEADER]: hmacSha256Signature(rawBody, appSecret) };
}

/** Throws AppError INVALID_SIGNATURE unless X-Hub-Signature-256 is the App Secret's HMAC of the raw body. */
export function verifyHubSignature(request: InboundRequest, appSecret: string): void {
  if (!isValidHmacSha256Signature(request.headers[HUB_SIGNATURE_HEADER], request.rawBody, appSecret)) {
    throw new AppError('INVALID_SIGNATURE', 'X-Hub-Signature-256 is missing or does not match the body');
  }
}

/**
 * Answers Meta's GET verification of the callback URL with `hub.challenge`. Only a request that
 * carries the verify token (compared in constant time) proves it comes from Meta: anything else
 * is INVALID_SIGNATURE. With the right token, a mode other than `subscribe` or a challenge that is
 * not Meta's plain token (it is echoed back) is INVALID_PAYLOAD naming the parameter.
 */
export function answerHubChallenge(request: InboundRequest, verifyToken: string): ChallengeAnswer {
  const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = request.query;
  if (typeof token !== 'string' || !secretsEqual(token, verifyToken)) {
    throw new AppError('INVALID_SIGNATURE', "hub.verify_token is missing or is not the channel's verifyToken");
  }
  if (mode !== 'subscribe') throw new AppError('INVALID_PAYLOAD', 'hub.mode must be "subscribe"', 'hub.mode');
  if (typeof challenge !== 'string' || !/^[\w-]{1,256}$/.test(challenge)) {
    throw new AppError('INVALID_PAYLOAD', 'hub.challenge must be the value Meta sent', 'hub.challenge');
  }
  return { contentType: 'text/plain', body: challenge };
}
