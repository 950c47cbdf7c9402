import { Command } from 'commander';
import { ChannelProvidersService } from '../channels/channel-providers.service';
import { ChannelView } from '../channels/channel.view';
import { ChannelsService } from '../channels/channels.service';
import { EXIT, table } from './cli-output';
import { parse, runWithApplication } from './cli-command';

/** `providers`, `channels` and `test-channel`: what is installed and whether it works. */
export function registerChannelCommands(program: Command): void {
  program
    .command('providers')
    .description('list the messenger providers and what their channels can do')
    .action((_options: object, command: Command) =>
      runWithApplication(command, async ({ app, out }) => {
        const providers = await app.get(ChannelProvidersService).list();
        out.result(providers, (list) =>
          table([
            ['code', 'name', 'inbound', 'max text', 'attachments out', 'available', 'signature'],
            ...list.map(({ code, name, capabilities, available }) => [
              code,
              name,
              capabilities.delivery,
              String(capabilities.maxTextLength),
              yesNo(capabilities.outboundAttachments),
              yesNo(available),
              capabilities.signature,
            ]),
          ]),
        );
        return EXIT.ok;
      }),
    );

  program
    .command('channels')
    .description('list the channels with their status and webhook URL (secrets redacted)')
    .action((_options: object, command: Command) =>
      runWithApplication(command, async ({ app, out }) => {
        const channels = await app.get(ChannelsService).list();
        out.result(channels, (list) => (list.length ? list.flatMap(describeChannel) : ['no channels registered']));
        return EXIT.ok;
      }),
    );

  program
    .command('test-channel')
    .description("check the channel's credentials with its provider (as POST /admin/channels/:id/test)")
    .argument('<channelId>', 'the channel id', parse.uuid('channelId'))
    .action((channelId: string, _options: object, command: Command) =>
      runWithApplication(command, async ({ app, out }) => {
        const channels = app.get(ChannelsService);
        const channel = await channels.get(channelId);
        const result = await channels.check(channelId);
        out.result({ channelId, provider: channel.provider, ...result }, ({ ok, error }) => [
          ok
            ? `ok: ${channel.provider} accepts the credentials of "${channel.name}"`
            : `failed (${error!.code}): ${error!.message}`,
        ]);
        return result.ok ? EXIT.ok : EXIT.failed;
      }),
    );
}

function describeChannel(channel: ChannelView): string[] {
  const { active, connected, registered, error } = channel.status;
  const status = [
    active ? 'active' : 'switched off',
    connected ? 'connected' : 'not connected',
    ...(registered ? [] : ['not registered']),
    ...(error ? [`error: ${error}`] : []),
  ];
  return [
    `${channel.id}  ${channel.name} (${channel.provider})`,
    `  status:   ${status.join(', ')}`,
    `  webhook:  ${channel.webhookUrl}`,
    `  settings: ${JSON.stringify(channel.settings)}`,
  ];
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
