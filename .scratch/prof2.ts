const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t0 = cpu();
const ch = await import('chevrotain');
const t1 = cpu();
const tk = await import('/work/wt/cli/dsl/tokens.ts');
const t2 = cpu();
const p = await import('/work/wt/cli/dsl/parser.ts');
const t3 = cpu();
console.log({ chevrotain: t1 - t0, tokens: t2 - t1, parser: t3 - t2 });
