/**
 * Every semantic check, in the order they run (graphql-js `specifiedRules`). Order matters only
 * for readability of the output: diagnostics are sorted by position afterwards.
 *
 * @module
 */
import { RequestConditionsRule } from './rules/request-conditions.ts';
import { BodyReplaceRule, BodySettingsRule } from './rules/request-bodies.ts';
import { ConditionTypesRule, ConditionValuesRule } from './rules/conditions.ts';
import { SplitDocumentIdRule } from './rules/split-id.ts';
import { CopyRule, RemoveConditionRule } from './rules/writes.ts';
import { EnrichRule } from './rules/enrich.ts';
import { SelectRule } from './rules/select.ts';
import { ExtractPatternRule, KvSeparatorRule, ListValueRule, SplitSeparatorRule } from './rules/transforms.ts';
import type { CheckRule } from './rule.ts';
import { AgentlessRule, IntegrationDeclaredRule, IntegrationMetadataRule } from './rules/integration.ts';
import { ValidNamesRule } from './rules/names.ts';
import { UniqueDeclarationsRule } from './rules/declarations.ts';
import { SettingDefaultRule } from './rules/settings.ts';
import { StreamAuthRule, StreamRequiredItemsRule, TimestampRule } from './rules/stream.ts';
import {
  KnownSecretsRule,
  KnownSettingsRule,
  KnownTablesRule,
  SecretsOnlyInAuthRule,
  SettingTypesRule,
  SettingValuesRule,
} from './rules/references.ts';
import { PlaceholdersRule } from './rules/placeholders.ts';
import { AuthHeaderTemplateRule, TokenExchangeRule } from './rules/auth.ts';
import { DatePatternRule } from './rules/date-patterns.ts';
import { CredentialLiteralsRule } from './rules/credentials.ts';
import { CategorizationRule } from './rules/categorization.ts';
import { UnusedDeclarationsRule } from './rules/unused.ts';
import { ForbiddenCharactersRule } from './rules/characters.ts';
import { HeaderNameRule } from './rules/headers.ts';
import { UrlAndHeaderTextRule } from './rules/url-text.ts';
import { UrlCredentialsRule } from './rules/url-credentials.ts';
import { CredentialSettingsRule } from './rules/credential-settings.ts';
import { BoundsRule } from './rules/bounds.ts';
import { CursorRule, ValidValuesRule } from './rules/values.ts';
import { OriginalKeepsRedactedRule } from './rules/redaction.ts';
import {
  SchemaDeclarationsRule,
  SchemaFormatsRule,
  SchemaReadsRule,
  SchemaTransformsRule,
  UnreadSchemaFieldsRule,
} from './rules/schema.ts';
import {
  AllowedValuesRule,
  ArrayOpRule,
  NamespaceRule,
  DestinationFieldRule,
  UniqueDestinationsRule,
  ValueTypeRule,
} from './rules/map.ts';

export const specifiedRules: readonly CheckRule[] = [
  // text no target can carry, bounds
  ForbiddenCharactersRule,
  BoundsRule,
  // declarations
  IntegrationDeclaredRule,
  IntegrationMetadataRule,
  AgentlessRule,
  UniqueDeclarationsRule,
  ValidNamesRule,
  SettingDefaultRule,
  // references
  KnownSettingsRule,
  KnownSecretsRule,
  SecretsOnlyInAuthRule,
  SettingTypesRule,
  SettingValuesRule,
  KnownTablesRule,
  // source
  StreamRequiredItemsRule,
  StreamAuthRule,
  PlaceholdersRule,
  TokenExchangeRule,
  AuthHeaderTemplateRule,
  CursorRule,
  RequestConditionsRule,
  BodySettingsRule,
  BodyReplaceRule,
  SplitDocumentIdRule,
  DatePatternRule,
  CredentialLiteralsRule,
  HeaderNameRule,
  UrlAndHeaderTextRule,
  UrlCredentialsRule,
  CredentialSettingsRule,
  ValidValuesRule,
  // mapping
  NamespaceRule,
  DestinationFieldRule,
  ArrayOpRule,
  ValueTypeRule,
  AllowedValuesRule,
  CategorizationRule,
  UniqueDestinationsRule,
  SplitSeparatorRule,
  KvSeparatorRule,
  ExtractPatternRule,
  ListValueRule,
  CopyRule,
  RemoveConditionRule,
  EnrichRule,
  SelectRule,
  ConditionValuesRule,
  OriginalKeepsRedactedRule,
  TimestampRule,
  // record schema
  SchemaDeclarationsRule,
  SchemaReadsRule,
  SchemaTransformsRule,
  SchemaFormatsRule,
  ConditionTypesRule,
  UnreadSchemaFieldsRule,
  UnusedDeclarationsRule,
];
