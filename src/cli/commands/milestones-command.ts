import type { Command } from 'commander';
import { z } from 'zod';
import { MILESTONE_STATES } from '../../domain/milestone-plan.ts';
import { formatMinorPlain } from '../../domain/money.ts';
import { markMilestoneReady } from '../../engine/milestones/mark-ready.ts';
import { milestoneJson } from '../../engine/milestones/milestone-json.ts';
import { upsertMilestone } from '../../engine/milestones/upsert-milestone.ts';
import { parseInput } from '../../engine/parse-input.ts';
import { listMilestones } from '../../store/milestones-repo.ts';
import type { CliEnv } from '../cli-env.ts';

const StateOption = z.enum(MILESTONE_STATES, {
  error: `--state must be one of ${MILESTONE_STATES.join(', ')}`,
});

/** `duly milestones` lists them; `duly milestone add|ready` adds one or sends it for the client's review. */
export function milestonesCommand(program: Command, cli: CliEnv): void {
  program
    .command('milestones')
    .description('list milestones and where each stands with the client')
    .option('--state <state>', `only one state: ${MILESTONE_STATES.join(', ')}`)
    .option('--json', 'one JSON object per line')
    .action(async (options: { state?: string; json?: boolean }) => {
      const state = options.state === undefined ? null : parseInput(StateOption, options.state);
      await cli.withEngine(async ({ ctx }) => {
        const milestones = await listMilestones(ctx.store.db, ctx.tenantId, state);
        for (const m of milestones) {
          if (options.json) {
            cli.out(JSON.stringify(milestoneJson(m)));
            continue;
          }
          const amount =
            m.amount !== null && m.currency ? `${formatMinorPlain(m.amount, m.currency)} ${m.currency}` : '-';
          const since = m.decidedAt ?? m.readyAt;
          cli.out(
            [
              m.id.padEnd(12),
              m.state.padEnd(17),
              (since === null ? '-' : new Date(since).toISOString()).padEnd(24),
              m.accountId.padEnd(12),
              amount.padEnd(14),
              m.title,
            ].join('  '),
          );
        }
        if (!options.json) cli.err(`${milestones.length} milestone(s)`);
      });
    });

  const milestone = program.command('milestone').description('add a milestone or send it for review');
  milestone
    .command('add')
    .description('add a milestone (or change its title, contract or amount)')
    .argument('<id>', 'your id for the milestone, like M-1')
    .requiredOption('--account <id>', 'the account it belongs to')
    .requiredOption('--title <text>', 'what the client will see')
    .option('--amount <amount>', 'what it is worth, like 4500.00')
    .option('--currency <code>', "ISO 4217 code (default: the account's, else the config's)")
    .option('--contract <id>', 'the contract it belongs to')
    .action(
      async (
        id: string,
        options: { account: string; title: string; amount?: string; currency?: string; contract?: string },
      ) => {
        await cli.withEngine(async ({ ctx }) => {
          const input = {
            id,
            account_id: options.account,
            title: options.title,
            amount: options.amount ?? null,
            currency: options.currency ?? null,
            contract_id: options.contract ?? null,
          };
          const saved = await upsertMilestone({ ctx, input });
          cli.out(`${saved.id}: ${saved.state} (${saved.title})`);
        });
      },
    );
  milestone
    .command('ready')
    .description("mark a milestone ready: the client's contacts get a review link at the next tick")
    .argument('<id>', 'the milestone id')
    .action(async (id: string) => {
      await cli.withEngine(async ({ ctx }) => {
        const { milestone: m, alreadyReady } = await markMilestoneReady({ ctx, input: { id } });
        const since = new Date(m.readyAt ?? 0).toISOString();
        cli.out(
          alreadyReady
            ? `${m.id}: already waiting for the client since ${since}`
            : `${m.id}: ready for review since ${since}`,
        );
      });
    });
}
