import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import axios, { AxiosError, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { LoggableUrls } from '../common/http/loggable-urls';

type TimedConfig = InternalAxiosRequestConfig & { startedAt?: number };

/**
 * Logs every call to a provider's API with its outcome and duration. The providers' HttpModule
 * uses axios' default instance, so one pair of interceptors sees them all; URLs are logged
 * without their tokens.
 */
@Injectable()
export class ProviderCallLogger implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ProviderCall');
  private interceptors?: { request: number; response: number };

  constructor(private readonly loggableUrls: LoggableUrls) {}

  onModuleInit(): void {
    this.interceptors = {
      request: axios.interceptors.request.use((config: TimedConfig) => ({ ...config, startedAt: Date.now() })),
      response: axios.interceptors.response.use(
        (response) => this.logged(response),
        (error: Error) => {
          this.logFailure(error);
          return Promise.reject(error);
        },
      ),
    };
  }

  onModuleDestroy(): void {
    if (!this.interceptors) return;
    axios.interceptors.request.eject(this.interceptors.request);
    axios.interceptors.response.eject(this.interceptors.response);
  }

  private logged(response: AxiosResponse): AxiosResponse {
    this.logger.log(`${this.describe(response.config)} → ${response.status} in ${this.elapsed(response.config)} ms`);
    return response;
  }

  private logFailure(error: unknown): void {
    if (!(error instanceof AxiosError) || !error.config) return;
    const outcome = error.response ? String(error.response.status) : (error.code ?? 'no answer');
    this.logger.warn(`${this.describe(error.config)} → ${outcome} in ${this.elapsed(error.config)} ms`);
  }

  private describe(config: InternalAxiosRequestConfig): string {
    return `${(config.method ?? 'get').toUpperCase()} ${this.loggableUrls.of(axios.getUri(config))}`;
  }

  private elapsed(config: TimedConfig): number {
    return config.startedAt ? Date.now() - config.startedAt : 0;
  }
}
