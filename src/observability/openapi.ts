import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_CODES } from '../common/errors/app-error';

/** The error body every route answers with: `{statusCode, code, message, field?}`. */
const ERROR_SCHEMA: NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string] = {
  type: 'object',
  required: ['statusCode', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    code: { type: 'string', enum: Object.keys(ERROR_CODES), example: 'VALIDATION_FAILED' },
    message: { type: 'string', example: 'settings.url must be an http(s) URL' },
    field: { type: 'string', example: 'settings.url' },
  },
};

const ERROR_STATUSES: Record<string, string> = {
  '400':
    'Bad input (VALIDATION_FAILED, MALFORMED_JSON, INVALID_PAYLOAD, CHANNEL_CANNOT_SEND, REGISTRATION_REJECTED); nothing changed',
  '401': 'Missing or wrong token (UNAUTHORIZED), or webhook signature (INVALID_SIGNATURE)',
  '403': 'Valid token, action not allowed (FORBIDDEN)',
  '404': 'No such resource, or not visible to the caller (NOT_FOUND)',
  '409': 'Conflicts with the current state (CONFLICT, CHAT_CLOSED)',
  '413': 'Body over HTTP_BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE)',
  '429': 'Over API_RATE_LIMIT_PER_MINUTE (RATE_LIMITED)',
  '503':
    'Database or provider unavailable, or channel switched off: try again (DATABASE_UNAVAILABLE, PROVIDER_UNAVAILABLE, CHANNEL_INACTIVE)',
};

/** Builds the OpenAPI document and serves it at /docs-json, with a browsable page at /docs. */
export function setUpOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Omnichannel messaging service')
    .setDescription(
      'Messengers in, agents out. Admin routes take the admin token, agent routes an operator token ' +
        '(both as `Authorization: Bearer <token>`); webhooks are authenticated by each provider’s signature.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  const document = withErrorResponses(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return document;
}

/** Every operation answers errors in the same documented shape; declared once here, not on each route. */
function withErrorResponses(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Error: ERROR_SCHEMA } };
  for (const path of Object.values(document.paths)) {
    for (const operation of [path.get, path.post, path.put, path.patch, path.delete]) {
      if (!operation) continue;
      for (const [status, description] of Object.entries(ERROR_STATUSES)) {
        operation.responses[status] ??= {
          description,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      }
      operation.security ??= [{ bearer: [] }];
    }
  }
  return document;
}
