import { hmacSha256Signature, isValidHmacSha256Signature } from './hmac-signature';

/** The test vector of PROVIDERS.md §2.3, computed independently with Python's hmac. */
const VECTOR_SECRET = 'test_app_secret_0123456789abcdef';
const VECTOR_BODY = Buffer.from(
  '{"object":"page","entry":[{"id":"106540352242922","time":1750000000123,"messaging":[{"sender":{"id":"6543210987654321"},"recipient":{"id":"106540352242922"},"timestamp":1750000000001,"message":{"mid":"m_test-mid-0001","text":"hello"}}]}]}',
);
const VECTOR_SIGNATURE = 'sha256=1f38f8ae2f1f6883f4a16f29d8b20b6ecf27ecb5e89234e13e5e71f223822cd4';

describe(hmacSha256Signature.name, () => {
  it('matches the published test vector', () => {
    expect(hmacSha256Signature(VECTOR_BODY, VECTOR_SECRET)).toBe(VECTOR_SIGNATURE);
  });

  it('signs the bytes as received: the \\u-escaped body and its UTF-8 form differ', () => {
    expect(hmacSha256Signature(Buffer.from('{"text":"\\u00e4\\u00f6\\u00e5"}'), VECTOR_SECRET)).toBe(
      'sha256=34d7e890e9e62283143c54d061361e09e6e2044aadd804d6f711003be1307f53',
    );
    expect(hmacSha256Signature(Buffer.from('{"text":"äöå"}'), VECTOR_SECRET)).toBe(
      'sha256=eb923930dfed1ceb5a4e1dba751cfab6e44ea167d05c8be26c8ea642561e956a',
    );
  });
});

describe(isValidHmacSha256Signature.name, () => {
  it('accepts the vector signature, in lower or upper case hex', () => {
    expect(isValidHmacSha256Signature(VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_SECRET)).toBe(true);
    expect(
      isValidHmacSha256Signature(`sha256=${VECTOR_SIGNATURE.slice(7).toUpperCase()}`, VECTOR_BODY, VECTOR_SECRET),
    ).toBe(true);
  });

  it('rejects the signature of the same body with another secret, and of a body changed by one byte', () => {
    expect(isValidHmacSha256Signature(VECTOR_SIGNATURE, VECTOR_BODY, 'another_app_secret_0123456789ab')).toBe(false);
    const tampered = Buffer.from(VECTOR_BODY);
    tampered[tampered.length - 5] ^= 0x01;
    expect(isValidHmacSha256Signature(VECTOR_SIGNATURE, tampered, VECTOR_SECRET)).toBe(false);
  });

  it.each([
    ['no header', undefined],
    ['the digest without sha256=', VECTOR_SIGNATURE.slice(7)],
    ['the legacy sha1 header value', `sha1=${'a'.repeat(40)}`],
    ['a digest one character short', VECTOR_SIGNATURE.slice(0, -1)],
    ['a non-hex digest', `sha256=${'z'.repeat(64)}`],
    ['the header sent twice', [VECTOR_SIGNATURE, VECTOR_SIGNATURE]],
  ])('rejects %s', (_case, header) => {
    expect(isValidHmacSha256Signature(header, VECTOR_BODY, VECTOR_SECRET)).toBe(false);
  });
});
