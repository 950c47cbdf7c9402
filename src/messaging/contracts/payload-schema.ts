import Ajv, { SchemaObject, ValidateFunction } from 'ajv';
import type { DataValidationCxt } from 'ajv/dist/types';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, IS_OPTIONAL, ValidationTypes } from 'class-validator';

type Metadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- class-validator's own type for a DTO class
type DtoClass = Function;

/** class-validator rules that are exactly a JSON-schema rule; the others call class-validator's own check. */
const NATIVE_RULES: Record<string, (constraints: unknown[]) => SchemaObject> = {
  isString: () => ({ type: 'string' }),
  isInt: () => ({ type: 'integer' }),
  isBoolean: () => ({ type: 'boolean' }),
  isArray: () => ({ type: 'array' }),
  isIn: ([values]) => ({ enum: values }),
  arrayMinSize: ([min]) => ({ type: 'array', minItems: min }),
  arrayMaxSize: ([max]) => ({ type: 'array', maxItems: max }),
  isPositive: () => ({ type: 'number', exclusiveMinimum: 0 }),
  max: ([max]) => ({ type: 'number', maximum: max }),
};

function nativeRule(metadata: Metadata): SchemaObject | undefined {
  if (metadata.each) return undefined;
  if (metadata.name === 'isNumber') {
    const options = (metadata.constraints[0] ?? {}) as { maxDecimalPlaces?: number };
    return options.maxDecimalPlaces === undefined ? { type: 'number' } : undefined;
  }
  return metadata.name ? NATIVE_RULES[metadata.name]?.(metadata.constraints) : undefined;
}

/**
 * A JSON schema derived once from a payload DTO's class-validator decorators, compiled by ajv. It
 * accepts no body that class-validator would refuse: type and size rules become JSON-schema rules,
 * string-content rules (length, URL, pattern, base64) and `@ValidateIf` conditions call
 * class-validator's own functions. Where it is stricter (a value class-transformer would have
 * coerced, such as one object where a list is declared), the caller asks class-validator itself.
 */
export class PayloadSchemas {
  private readonly ajv = new Ajv({ strict: false, allErrors: false });
  private readonly compiled = new Map<DtoClass, ValidateFunction>();
  private readonly rules: Metadata[] = [];
  private readonly conditions: Metadata[] = [];

  constructor() {
    this.ajv.addKeyword({
      keyword: 'dtoRule',
      schemaType: 'number',
      errors: false,
      validate: (index: number, value: unknown, _schema?: unknown, data?: DataValidationCxt) =>
        this.passesRule(this.rules[index], value, data),
    });
    this.ajv.addKeyword({
      keyword: 'dtoCondition',
      schemaType: 'number',
      errors: false,
      validate: (index: number, object: unknown) => {
        if (typeof object !== 'object' || object === null) return false;
        const { constraints, propertyName } = this.conditions[index];
        const holds = constraints[0] as (object: unknown, value: unknown) => boolean;
        return holds(object, (object as Record<string, unknown>)[propertyName]);
      },
    });
  }

  /** The compiled check of bodies of `type`, made on first use. */
  validatorOf(type: DtoClass): ValidateFunction {
    let validate = this.compiled.get(type);
    if (!validate) {
      const definitions: Record<string, SchemaObject | boolean> = {};
      validate = this.ajv.compile({ ...this.refTo(type, definitions), definitions });
      this.compiled.set(type, validate);
    }
    return validate;
  }

  private passesRule(metadata: Metadata, value: unknown, data?: DataValidationCxt): boolean {
    const object = data?.parentData as object;
    const args = {
      value,
      object,
      constraints: metadata.constraints,
      property: metadata.propertyName,
      targetName: object?.constructor?.name ?? '',
    };
    const values = metadata.each && Array.isArray(value) ? (value as unknown[]) : [value];
    return getMetadataStorage()
      .getTargetValidatorConstraints(metadata.constraintCls)
      .every((constraint) => values.every((item) => constraint.instance.validate(item, args) === true));
  }

  private refTo(type: DtoClass, definitions: Record<string, SchemaObject | boolean>): SchemaObject {
    if (!(type.name in definitions)) {
      definitions[type.name] = true; // taken before its properties, so a class that nests itself ends
      definitions[type.name] = this.objectSchema(type, definitions);
    }
    return { $ref: `#/definitions/${type.name}` };
  }

  private objectSchema(type: DtoClass, definitions: Record<string, SchemaObject | boolean>): SchemaObject | boolean {
    const storage = getMetadataStorage();
    const byProperty = storage.groupByPropertyName(storage.getTargetValidationMetadatas(type, '', false, false));
    // class-validator refuses an object of a class with no rules (forbidUnknownValues).
    if (Object.keys(byProperty).length === 0) return false;
    const properties: Record<string, SchemaObject> = {};
    const required: string[] = [];
    const conditional: SchemaObject[] = [];
    for (const [property, metadatas] of Object.entries(byProperty)) {
      const rule = this.propertySchema(type, property, metadatas, definitions);
      const conditions = metadatas.filter(
        (metadata) => metadata.type === ValidationTypes.CONDITIONAL_VALIDATION && metadata.name !== IS_OPTIONAL,
      );
      if (conditions.length === 0) {
        properties[property] = rule.schema;
        if (rule.required) required.push(property);
        continue;
      }
      const indexes = conditions.map((condition) => this.conditions.push(condition) - 1);
      conditional.push({
        if: allOf(indexes.map((index) => ({ dtoCondition: index }))),
        then: { properties: { [property]: rule.schema }, required: rule.required ? [property] : [] },
      });
    }
    return { type: 'object', properties, required, ...allOf(conditional) };
  }

  /** The rules of one property when it is validated at all; `required` when an absent value breaks them. */
  private propertySchema(
    type: DtoClass,
    property: string,
    metadatas: Metadata[],
    definitions: Record<string, SchemaObject | boolean>,
  ): { schema: SchemaObject; required: boolean } {
    const rules: SchemaObject[] = [];
    let required = false;
    for (const metadata of metadatas) {
      if (metadata.type === ValidationTypes.IS_DEFINED) {
        rules.push({ not: { type: 'null' } });
        required = true;
      } else if (metadata.type === ValidationTypes.CUSTOM_VALIDATION) {
        rules.push(nativeRule(metadata) ?? { dtoRule: this.rules.push(metadata) - 1 });
        required = true;
      } else if (metadata.type === ValidationTypes.NESTED_VALIDATION) {
        const nested = this.refTo(nestedClassOf(type, property), definitions);
        rules.push(metadata.each ? { type: 'array', items: nested } : nested);
      }
    }
    const optional = metadatas.some((metadata) => metadata.name === IS_OPTIONAL);
    if (optional) return { schema: { anyOf: [{ type: 'null' }, allOf(rules)] }, required: false };
    return { schema: allOf(rules), required };
  }
}

/** Every one of `schemas` (JSON schema refuses an empty allOf). */
function allOf(schemas: SchemaObject[]): SchemaObject {
  return schemas.length === 1 ? schemas[0] : schemas.length === 0 ? {} : { allOf: schemas };
}

/** The class `@Type` gives a nested property: what class-transformer makes of an object there. */
function nestedClassOf(type: DtoClass, property: string): DtoClass {
  const probe = plainToInstance(type as new () => object, { [property]: {} }) as Record<string, object>;
  return probe[property].constructor;
}
