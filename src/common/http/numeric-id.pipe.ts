import { Injectable, PipeTransform } from '@nestjs/common';
import { AppError } from '../errors/app-error';

/** Message and job ids are bigints: anything else names nothing (404). */
@Injectable()
export class NumericIdPipe implements PipeTransform<string, string> {
  constructor(private readonly what: string) {}

  transform(value: string): string {
    if (!/^\d{1,19}$/.test(value)) throw AppError.notFound(this.what, value);
    return value;
  }
}
