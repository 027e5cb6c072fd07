const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t0 = cpu();
const m = await import('@elastic/ecs');
const t1 = cpu();
const n = Object.keys(m.EcsFlat).length;
const t2 = cpu();
await import('../compiler/ecs/index.ts');
const t3 = cpu();
console.log(JSON.stringify({ flat: t1 - t0, n, index: t3 - t2 }));
