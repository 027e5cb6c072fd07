/**
 * The ECS releases mapc ships, each from its own `@elastic/ecs` package (generated from ECS's
 * `ecs_flat.yml`; https://github.com/elastic/ecs-typescript): `@elastic/ecs` 9.4.0 (ECS 9.4.0,
 * the default) and, as the npm alias `ecs-8.11.0`, `@elastic/ecs` 8.11.5 (ECS 8.11.0, the last
 * 8.x release the package has). A map chooses one with `ecs "VERSION"` in its integration block.
 *
 * To add a release: install it under the alias `ecs-<ECS version>` (`npm install --save-exact
 * ecs-X.Y.Z@npm:@elastic/ecs@<package version>`), import it here and list it in
 * {@link ECS_RELEASES}; `scripts/build.ts` projects every package imported by this module.
 *
 * @module
 */
import { EcsFlat as flat94, EcsVersion as version94 } from '@elastic/ecs';
import { EcsFlat as flat811, EcsVersion as version811 } from 'ecs-8.11.0';

/** One ECS release: its version (`EcsVersion`) and field definitions (`EcsFlat`, by dotted name). */
export interface EcsRelease {
  readonly version: string;
  readonly flat: Readonly<Record<string, unknown>>;
}

/** Every ECS release a map may choose, newest first; the first is the default. */
export const ECS_RELEASES: readonly EcsRelease[] = [
  { version: version94, flat: flat94 as unknown as Record<string, unknown> },
  { version: version811, flat: flat811 as unknown as Record<string, unknown> },
];
