import { generateWebhookSecret, signWebhook, webhookSigningKey } from './webhook-signature';

describe(signWebhook.name, () => {
  it('reproduces the test vector published with the Standard Webhooks libraries', () => {
    const key = webhookSigningKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')!;

    const sut = signWebhook(key, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');

    expect(sut).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('changes with the id, the timestamp and the body', () => {
    const key = webhookSigningKey(generateWebhookSecret())!;
    const signature = signWebhook(key, 'msg_1', 100, '{}');

    expect(signWebhook(key, 'msg_2', 100, '{}')).not.toBe(signature);
    expect(signWebhook(key, 'msg_1', 101, '{}')).not.toBe(signature);
    expect(signWebhook(key, 'msg_1', 100, '{ }')).not.toBe(signature);
  });
});

describe(webhookSigningKey.name, () => {
  it('decodes a generated secret to a 32-byte key, different every time', () => {
    const secret = generateWebhookSecret();

    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhookSigningKey(secret)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it.each([
    ['24 bytes', 24],
    ['64 bytes', 64],
  ])('accepts a key of %s', (_label, bytes) => {
    expect(webhookSigningKey(`whsec_${Buffer.alloc(bytes, 7).toString('base64')}`)).toHaveLength(bytes);
  });

  it.each([
    ['no prefix', Buffer.alloc(32, 1).toString('base64')],
    ['a key of 23 bytes', `whsec_${Buffer.alloc(23, 1).toString('base64')}`],
    ['a key of 65 bytes', `whsec_${Buffer.alloc(65, 1).toString('base64')}`],
    ['characters outside base64', `whsec_${'a'.repeat(30)}!!`],
    ['base64url', `whsec_${Buffer.alloc(32, 0xfb).toString('base64url')}`],
    ['nothing after the prefix', 'whsec_'],
  ])('refuses %s', (_label, secret) => {
    expect(webhookSigningKey(secret)).toBeUndefined();
  });
});
