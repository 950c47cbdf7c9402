import { createHmac } from 'node:crypto';
import { isValidSignature, signBody } from './webhook.signature';

const SECRET = 'receiver-shared-secret-0123456789';
const BODY = Buffer.from(JSON.stringify({ messages: [{ id: 'm1', chatId: 'c1', from: { id: 'u1' }, text: 'hi' }] }));

describe(signBody.name, () => {
  it('is sha256= followed by the hex HMAC-SHA256 of the body', () => {
    const expected = createHmac('sha256', SECRET).update(BODY).digest('hex');

    expect(signBody(BODY, SECRET)).toBe(`sha256=${expected}`);
    expect(signBody(BODY.toString('utf8'), SECRET)).toBe(`sha256=${expected}`);
  });
});

describe(isValidSignature.name, () => {
  const signature = signBody(BODY, SECRET);
  const hex = signature.slice('sha256='.length);

  it('accepts the signature of the same body and secret', () => {
    expect(isValidSignature(signature, BODY, SECRET)).toBe(true);
  });

  it('accepts the hex digest in upper case', () => {
    expect(isValidSignature(`sha256=${hex.toUpperCase()}`, BODY, SECRET)).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    expect(isValidSignature(signBody(BODY, 'another-secret-0123456789abcdef'), BODY, SECRET)).toBe(false);
  });

  it('rejects a body changed after signing, even by one byte', () => {
    const tampered = Buffer.from(BODY);
    tampered[tampered.length - 3] ^= 0x01;

    expect(isValidSignature(signature, tampered, SECRET)).toBe(false);
    expect(isValidSignature(signature, Buffer.concat([BODY, Buffer.from(' ')]), SECRET)).toBe(false);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['the digest without sha256=', hex],
    ['another algorithm prefix', `sha1=${hex}`],
    ['a digest one character short', signature.slice(0, -1)],
    ['a digest one character long', `${signature}0`],
    ['a non-hex digest', `sha256=${'g'.repeat(64)}`],
    ['surrounding whitespace', ` ${signature}`],
    ['the header sent twice (an array)', [signature, signature]],
    ['the header as a one-element array', [signature]],
    ['a number', 42],
  ])('rejects %s', (_case, header) => {
    expect(isValidSignature(header, BODY, SECRET)).toBe(false);
  });
});
