/** The few admin calls the benchmark makes through the real API (bearer ADMIN_TOKEN). */
export class AdminApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async providerCodes(): Promise<string[]> {
    const providers = await this.call<{ code: string }[]>('GET', '/admin/providers');
    return providers.map((provider) => provider.code);
  }

  registerChannel(name: string, provider: string, settings: Record<string, unknown>): Promise<{ id: string }> {
    return this.call('POST', '/admin/channels', { name, provider, settings });
  }

  createOperator(name: string, email: string): Promise<{ id: string; token: string }> {
    return this.call('POST', '/admin/operators', { name, email });
  }

  async createQueue(name: string, operatorIds: string[]): Promise<string> {
    const queue = await this.call<{ id: string }>('POST', '/admin/queues', {
      name,
      routingRule: 'manual',
      operatorIds,
    });
    return queue.id;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}
