import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  ValidateIf,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { plainToInstance } from 'class-transformer';
import fc from 'fast-check';
import { PayloadSchemas } from './payload-schema';

class Sender {
  @IsString()
  @Length(1, 5)
  id: string;

  @IsOptional()
  @IsString()
  name?: string;
}

class Attachment {
  @IsUrl({ require_protocol: true })
  url: string;

  @IsIn(['image', 'file'])
  type: string;
}

class Message {
  @IsInt()
  id: number;

  @IsDefined()
  @ValidateNested()
  @Type(() => Sender)
  from: Sender;

  @ValidateIf((message: Message) => !message.attachments?.length || message.text !== undefined)
  @IsString()
  @Length(1, 10)
  text?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2)
  @ValidateNested({ each: true })
  @Type(() => Attachment)
  attachments?: Attachment[];
}

class Body {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Message)
  messages: Message[];
}

function classValidatorAccepts(body: object): boolean {
  return validateSync(plainToInstance(Body, body), { forbidUnknownValues: true }).length === 0;
}

describe(PayloadSchemas.name, () => {
  const sut = new PayloadSchemas().validatorOf(Body);
  const valid = { id: 1, from: { id: 'ana' }, text: 'hi' };

  it.each([
    ['a plain message', [valid]],
    [
      'attachments and no text',
      [{ ...valid, text: undefined, attachments: [{ url: 'https://a.io/x', type: 'image' }] }],
    ],
    ['a null optional name', [{ ...valid, from: { id: 'ana', name: null } }]],
    ['fields it does not know', [{ ...valid, extra: { deep: [1] } }]],
  ])('accepts %s, as class-validator does', (_case, messages) => {
    expect(sut({ messages })).toBe(true);
    expect(classValidatorAccepts({ messages })).toBe(true);
  });

  it.each([
    ['no messages', {}],
    ['a message without text or attachments', { messages: [{ ...valid, text: undefined }] }],
    ['a null sender', { messages: [{ ...valid, from: null }] }],
    ['a sender id too long', { messages: [{ ...valid, from: { id: 'abcdef' } }] }],
    ['a float id', { messages: [{ ...valid, id: 1.5 }] }],
    ['an attachment url that is no URL', { messages: [{ ...valid, attachments: [{ url: 'x', type: 'file' }] }] }],
    ['an unknown attachment type', { messages: [{ ...valid, attachments: [{ url: 'https://a.io', type: 'gif' }] }] }],
    [
      'too many attachments',
      { messages: [{ ...valid, attachments: Array(3).fill({ url: 'https://a.io', type: 'file' }) }] },
    ],
    ['a message that is a string', { messages: ['hello'] }],
  ])('refuses %s, as class-validator does', (_case, body) => {
    expect(sut(body)).toBe(false);
    expect(classValidatorAccepts(body)).toBe(false);
  });

  it('accepts no body that class-validator refuses', () => {
    const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('\uFE0F', '😀😀😀😀😀'));
    const anything = fc.oneof(fc.constant(null), fc.integer(), fc.double(), fc.boolean(), text, fc.constant([]));
    const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(fc.oneof(arbitrary, anything), { nil: undefined });
    const sender = fc.record({ id: maybe(text), name: maybe(text) }, { requiredKeys: [] });
    const attachment = fc.record(
      {
        url: maybe(fc.constantFrom('https://a.io/x', 'ftp://a.io', 'a.io')),
        type: maybe(fc.constantFrom('image', 'gif')),
      },
      { requiredKeys: [] },
    );
    const message = fc.record(
      {
        id: maybe(fc.integer()),
        from: maybe(fc.oneof(sender, fc.array(sender, { maxLength: 2 }))),
        text: maybe(text),
        attachments: maybe(fc.oneof(fc.array(attachment, { maxLength: 3 }), attachment)),
      },
      { requiredKeys: [] },
    );
    const body = fc.record({ messages: maybe(fc.array(fc.oneof(message, anything), { maxLength: 3 })) });

    fc.assert(
      fc.property(body, (candidate) => {
        const plain = JSON.parse(JSON.stringify(candidate)) as object;
        if (sut(plain)) expect(classValidatorAccepts(plain)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});
