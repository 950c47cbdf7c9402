import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { AppError } from '../common/errors/app-error';
import { RoutingRule, RoutingRuleCode } from './routing-rule';

/** Discovers the classes marked with @RoutingRuleCode and refuses to start when two share a code. */
@Injectable()
export class RoutingRuleRegistry implements OnModuleInit {
  private readonly rules = new Map<string, RoutingRule>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: RoutingRuleCode.KEY })) {
      const code = this.discovery.getMetadataByDecorator(RoutingRuleCode, wrapper)!;
      if (this.rules.has(code)) throw new Error(`Two routing rules have the code "${code}"`);
      this.rules.set(code, wrapper.instance as RoutingRule);
    }
  }

  /** The rule a queue names; AppError VALIDATION_FAILED (field routingRule) if no class implements the code. */
  get(code: string): RoutingRule {
    const rule = this.rules.get(code);
    if (!rule) {
      throw AppError.validation('routingRule', `Unknown routing rule "${code}"; known: ${this.codes().join(', ')}`);
    }
    return rule;
  }

  codes(): string[] {
    return [...this.rules.keys()].sort();
  }
}
