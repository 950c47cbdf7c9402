const SECRET_FIELDS = Symbol('secretSettingFields');

/** Marks a settings field as a secret: encrypted at rest, never returned by the API, never logged. */
export function SecretSetting(): PropertyDecorator {
  return (target, property) => {
    const fields = (Reflect.getMetadata(SECRET_FIELDS, target.constructor) as string[] | undefined) ?? [];
    Reflect.defineMetadata(SECRET_FIELDS, [...fields, String(property)], target.constructor);
  };
}

export function secretSettingFields(settingsType: object): string[] {
  return (Reflect.getMetadata(SECRET_FIELDS, settingsType) as string[] | undefined) ?? [];
}
