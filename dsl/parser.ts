/**
 * The `.map` grammar as a chevrotain `CstParser`: grammar only, no actions. The CST→AST
 * translation lives in `dsl/visitor.ts`; CST node types are generated into `dsl/cst.d.ts`
 * (`npx tsx dsl/gen-cst.ts`).
 *
 * Follows `docs/language.md` ("Grammar") with these deliberate shapes:
 * - items of a block are parsed in any order (`{ item }`), as the reference says; which items a
 *   sub-block requires and which may appear only once is checked by the visitor (`E0011` for a
 *   missing one, `E0007` for a repeat, pointing at both places);
 * - `unmapped` takes any name (the visitor wants `keep` or `drop`), so a wrong word gets
 *   "expected keep or drop" rather than "not a map item";
 * - a rule's value is parsed as `(NUMBER | path) { "|" transform }`: the visitor turns a lone
 *   quoted segment / `true` / `false` into a literal (the grammar's `literal | path` overlap);
 * - transform names and arguments are parsed generically and validated by the visitor, so a
 *   misspelled transform gets a message listing the real ones.
 *
 * Error recovery is not chevrotain's (`recoveryEnabled: false`): see `dsl/recovery.ts`.
 *
 * Chevrotain API: https://chevrotain.io/docs/tutorial/step2_parsing.html and
 * https://chevrotain.io/docs/tutorial/step4_fault_tolerance.html (chevrotain 11.2).
 *
 * @module
 */
import { CstParser, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import {
  allTokens,
  Arrow,
  AtName,
  Colon,
  Comma,
  ConditionName,
  Dollar,
  Dot,
  Duration,
  EqEq,
  Identifier,
  Equals,
  Greater,
  GreaterEq,
  Keyword as K,
  Less,
  LessEq,
  LBrace,
  LBracket,
  LParen,
  Name,
  NotEq,
  NumberLiteral,
  Pipe,
  PlusEq,
  Plus,
  Minus,
  RBrace,
  RBracket,
  RParen,
  StringLiteral,
} from './tokens.ts';
import { SKIP_GRAMMAR_VALIDATIONS } from './bundled.ts';
import { mapErrorMessageProvider } from './parse-errors.ts';
import { isFieldTypeName } from './field-types.ts';

/** Descriptions used in "expected ..." messages for alternatives that read better as one phrase. */
export const SETTING_TYPES_PHRASE = 'a setting type (string, url, duration, timestamp, int, bool)';

export const FIELD_TYPES_PHRASE = 'a field type (string, integer, number, boolean, object, array, any)';

export const FIELD_FORMATS_PHRASE = 'a format (iso8601, unix_ms, unix, ip or a date pattern like "dd/MM/yyyy")';

export const MAP_ITEM_PHRASE =
  'a map option (namespace, unmapped, original, id, remove, drop when, drop empty, geoip, asn, user_agent) or a rule like event.kind = "event"';

export class MapParser extends CstParser {
  constructor() {
    super([...allTokens], {
      // The parser stops at the first error; `parseMap` reports it, drops the broken item and
      // parses again (dsl/recovery.ts). Chevrotain's own recovery went on from a token that only
      // looked like a resync point (a keyword used as a name), turning one mistake into several.
      recoveryEnabled: false,
      nodeLocationTracking: 'full',
      maxLookahead: 4,
      errorMessageProvider: mapErrorMessageProvider,
      skipValidations: SKIP_GRAMMAR_VALIDATIONS,
    });
    this.performSelfAnalysis();
  }

  // ------------------------------------------------------------------ file and declarations

  public file = this.RULE('file', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.integration) },
        { ALT: () => this.SUBRULE(this.setting) },
        { ALT: () => this.SUBRULE(this.secret) },
        { ALT: () => this.SUBRULE(this.table) },
        { ALT: () => this.SUBRULE(this.stream) },
        { ALT: () => this.SUBRULE(this.defaults) },
      ]);
    });
  });

  public integration = this.RULE('integration', () => {
    this.CONSUME(K.integration);
    // A package name may start with a digit (`1password`), which lexes as a Duration.
    this.OR([{ ALT: () => this.CONSUME(Name) }, { ALT: () => this.CONSUME(Duration) }]);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.integrationItem));
    this.CONSUME(RBrace);
  });

  public integrationItem = this.RULE('integrationItem', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(K.title) },
            { ALT: () => this.CONSUME(K.vendor) },
            { ALT: () => this.CONSUME(K.version) },
            { ALT: () => this.CONSUME(K.description) },
            { ALT: () => this.CONSUME(K.changelog) },
            { ALT: () => this.CONSUME(K.ecs) },
          ]);
          this.CONSUME(StringLiteral);
        },
      },
      { ALT: () => this.SUBRULE(this.agentless) },
    ]);
  });

  public agentless = this.RULE('agentless', () => {
    this.CONSUME(K.agentless);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.agentlessItem));
    this.CONSUME(RBrace);
  });

  public agentlessItem = this.RULE('agentlessItem', () => {
    this.OR([
      { ALT: () => this.CONSUME(K.organization) },
      { ALT: () => this.CONSUME(K.division) },
      { ALT: () => this.CONSUME(K.team) },
    ]);
    this.CONSUME(StringLiteral);
  });

  public setting = this.RULE('setting', () => {
    this.CONSUME(K.setting);
    this.CONSUME(Name);
    this.CONSUME(Colon);
    this.SUBRULE(this.settingType);
    this.OPTION(() => {
      this.CONSUME(Equals);
      this.SUBRULE(this.literal);
    });
    this.OPTION2(() => this.CONSUME(K.required));
    this.OPTION3(() => this.SUBRULE(this.info));
  });

  public settingType = this.RULE('settingType', () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(K.string) },
        { ALT: () => this.CONSUME(K.url) },
        { ALT: () => this.CONSUME(K.duration) },
        { ALT: () => this.CONSUME(K.timestamp) },
        { ALT: () => this.CONSUME(K.int) },
        { ALT: () => this.CONSUME(K.bool) },
      ],
      ERR_MSG: SETTING_TYPES_PHRASE,
    });
  });

  public literal = this.RULE('literal', () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(StringLiteral) },
        { ALT: () => this.CONSUME(NumberLiteral) },
        { ALT: () => this.CONSUME(K.true) },
        { ALT: () => this.CONSUME(K.false) },
      ],
      ERR_MSG: 'a literal (a string, a number, true or false)',
    });
  });

  public secret = this.RULE('secret', () => {
    this.CONSUME(K.secret);
    this.CONSUME(Name);
    this.OPTION(() => this.SUBRULE(this.info));
  });

  public info = this.RULE('info', () => {
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.infoItem));
    this.CONSUME(RBrace);
  });

  public infoItem = this.RULE('infoItem', () => {
    this.OR([{ ALT: () => this.CONSUME(K.title) }, { ALT: () => this.CONSUME(K.description) }]);
    this.CONSUME(StringLiteral);
  });

  public table = this.RULE('table', () => {
    this.CONSUME(K.table);
    this.CONSUME(Name);
    this.CONSUME(LBrace);
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.tableEntry) }, { ALT: () => this.SUBRULE(this.tableDefault) }]);
    });
    this.CONSUME(RBrace);
  });

  public tableEntry = this.RULE('tableEntry', () => {
    this.CONSUME(StringLiteral);
    this.CONSUME(Arrow);
    this.SUBRULE(this.tableValue);
  });

  public tableDefault = this.RULE('tableDefault', () => {
    this.CONSUME(K.default);
    this.SUBRULE(this.tableValue);
  });

  /** `"TO"` or `["TO", ...]` (a list table's value). */
  public tableValue = this.RULE('tableValue', () => {
    this.OR([{ ALT: () => this.CONSUME(StringLiteral) }, { ALT: () => this.SUBRULE(this.stringList) }]);
  });

  public stringList = this.RULE('stringList', () => {
    this.CONSUME(LBracket);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.CONSUME(StringLiteral) });
    this.CONSUME(RBracket);
  });

  public stream = this.RULE('stream', () => {
    this.CONSUME(K.stream);
    this.CONSUME(Name);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.streamItem));
    this.CONSUME(RBrace);
  });

  /**
   * `defaults { ITEM }`: stream items every stream inherits unless it sets them itself. Any stream
   * item parses here, so that an item a default cannot be (`map`, `record`, `title`) gets a check's
   * message (E0187) naming it, rather than "unexpected token".
   */
  public defaults = this.RULE('defaults', () => {
    this.CONSUME(K.defaults);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.streamItem));
    this.CONSUME(RBrace);
  });

  public streamItem = this.RULE('streamItem', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.streamText) },
      { ALT: () => this.SUBRULE(this.interval) },
      { ALT: () => this.SUBRULE(this.auth) },
      { ALT: () => this.SUBRULE(this.request) },
      { ALT: () => this.SUBRULE(this.paginate) },
      { ALT: () => this.SUBRULE(this.records) },
      { ALT: () => this.SUBRULE(this.split) },
      { ALT: () => this.SUBRULE(this.cursor) },
      { ALT: () => this.SUBRULE(this.rateLimit) },
      { ALT: () => this.SUBRULE(this.retry) },
      { ALT: () => this.SUBRULE(this.maxPages) },
      { ALT: () => this.SUBRULE(this.map) },
      { ALT: () => this.SUBRULE(this.record) },
    ]);
  });

  public streamText = this.RULE('streamText', () => {
    this.OR([
      { ALT: () => this.CONSUME(K.title) },
      { ALT: () => this.CONSUME(K.description) },
      { ALT: () => this.CONSUME(K.dataset) },
    ]);
    this.CONSUME(StringLiteral);
  });

  public interval = this.RULE('interval', () => {
    this.CONSUME(K.interval);
    this.OR({
      DEF: [{ ALT: () => this.CONSUME(Duration) }, { ALT: () => this.SUBRULE(this.settingRef) }],
      ERR_MSG: 'a duration (like 5m) or setting.NAME',
    });
  });

  public settingRef = this.RULE('settingRef', () => {
    this.CONSUME(K.setting);
    this.CONSUME(Dot);
    this.CONSUME(Name);
  });

  public secretRef = this.RULE('secretRef', () => {
    this.CONSUME(K.secret);
    this.CONSUME(Dot);
    this.CONSUME(Name);
  });

  /** `setting.NAME` or `secret.NAME`. */
  public valueRef = this.RULE('valueRef', () => {
    this.OR({
      DEF: [{ ALT: () => this.SUBRULE(this.settingRef) }, { ALT: () => this.SUBRULE(this.secretRef) }],
      ERR_MSG: 'setting.NAME or secret.NAME',
    });
  });

  // ------------------------------------------------------------------ auth

  public auth = this.RULE('auth', () => {
    this.CONSUME(K.auth);
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.authHeader) },
        { ALT: () => this.SUBRULE(this.authBearer) },
        { ALT: () => this.SUBRULE(this.authBasic) },
        { ALT: () => this.SUBRULE(this.authTokenExchange) },
        { ALT: () => this.SUBRULE(this.authOAuth2) },
      ],
      ERR_MSG: 'an auth kind (header, bearer, basic, token_exchange, oauth2)',
    });
  });

  public authHeader = this.RULE('authHeader', () => {
    this.CONSUME(K.header);
    this.CONSUME(StringLiteral);
    this.CONSUME(Equals);
    // The whole value a secret, or a template around one: `"SSWS {secret.api_token}"`.
    this.OR({
      DEF: [{ ALT: () => this.SUBRULE(this.secretRef) }, { ALT: () => this.CONSUME2(StringLiteral) }],
      ERR_MSG: 'secret.NAME or a string around one secret ("SSWS {secret.NAME}")',
    });
  });

  public authBearer = this.RULE('authBearer', () => {
    this.CONSUME(K.bearer);
    this.SUBRULE(this.secretRef);
  });

  public authBasic = this.RULE('authBasic', () => {
    this.CONSUME(K.basic);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.basicItem));
    this.CONSUME(RBrace);
  });

  public basicItem = this.RULE('basicItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.username);
          this.CONSUME(Equals);
          this.SUBRULE(this.valueRef);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.password);
          this.CONSUME2(Equals);
          this.SUBRULE(this.secretRef);
        },
      },
    ]);
  });

  public authTokenExchange = this.RULE('authTokenExchange', () => {
    this.CONSUME(K.token_exchange);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.tokenExchangeItem));
    this.CONSUME(RBrace);
  });

  public tokenExchangeItem = this.RULE('tokenExchangeItem', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.request) },
      {
        ALT: () => {
          this.CONSUME(K.token);
          this.SUBRULE(this.path);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.lifetime);
          this.CONSUME(Duration);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.expires_at);
          this.SUBRULE2(this.path);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.renew_before);
          this.CONSUME2(Duration);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.header);
          this.CONSUME(StringLiteral);
          this.CONSUME(Equals);
          this.CONSUME2(StringLiteral);
        },
      },
    ]);
  });

  public authOAuth2 = this.RULE('authOAuth2', () => {
    this.CONSUME(K.oauth2);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.oauth2Item));
    this.CONSUME(RBrace);
  });

  public oauth2Item = this.RULE('oauth2Item', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.token_url);
          this.CONSUME(StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.client_id);
          this.CONSUME(Equals);
          this.SUBRULE(this.valueRef);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.client_secret);
          this.CONSUME2(Equals);
          this.SUBRULE(this.secretRef);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.private_key);
          this.CONSUME3(Equals);
          this.SUBRULE2(this.secretRef);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.scopes);
          this.AT_LEAST_ONE(() => this.CONSUME2(StringLiteral));
        },
      },
    ]);
  });

  // ------------------------------------------------------------------ request

  public request = this.RULE('request', () => {
    this.CONSUME(K.request);
    this.OR({
      DEF: [{ ALT: () => this.CONSUME(K.GET) }, { ALT: () => this.CONSUME(K.POST) }],
      ERR_MSG: 'an HTTP method (GET or POST)',
    });
    this.CONSUME(StringLiteral);
    this.OPTION(() => {
      this.CONSUME(LBrace);
      this.MANY(() => this.SUBRULE(this.requestItem));
      this.CONSUME(RBrace);
    });
  });

  public requestItem = this.RULE('requestItem', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(K.header) }, { ALT: () => this.CONSUME(K.query) }]);
          this.CONSUME(StringLiteral);
          this.CONSUME(Equals);
          this.CONSUME2(StringLiteral);
          this.OPTION(() => this.CONSUME(K.optional));
          this.OPTION2(() => {
            this.CONSUME(K.when);
            this.SUBRULE(this.requestCondition);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.body);
          this.SUBRULE(this.jsonObject);
        },
      },
    ]);
  });

  /**
   * `RCOND = "not" RCOND | setting.NAME | WORD { "." NAME }`: a request item's condition. The
   * words (`window.complete`) are not keywords; the checks name the ones that exist (E0166).
   */
  public requestCondition = this.RULE('requestCondition', () => {
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(K.not);
            this.SUBRULE(this.requestCondition);
          },
        },
        { ALT: () => this.SUBRULE(this.settingRef) },
        {
          ALT: () => {
            this.CONSUME(Identifier);
            this.MANY(() => {
              this.CONSUME(Dot);
              this.CONSUME(Name);
            });
          },
        },
      ],
      ERR_MSG: 'a request condition (window.complete, setting.NAME or not ...)',
    });
  });

  public jsonObject = this.RULE('jsonObject', () => {
    this.CONSUME(LBrace);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.jsonEntry) });
    this.CONSUME(RBrace);
  });

  public jsonEntry = this.RULE('jsonEntry', () => {
    this.CONSUME(StringLiteral);
    this.CONSUME(Colon);
    this.SUBRULE(this.jsonValue);
  });

  public jsonArray = this.RULE('jsonArray', () => {
    this.CONSUME(LBracket);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.jsonValue) });
    this.CONSUME(RBracket);
  });

  public jsonValue = this.RULE('jsonValue', () => {
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.jsonObject) },
        { ALT: () => this.SUBRULE(this.jsonArray) },
        { ALT: () => this.CONSUME(StringLiteral) },
        { ALT: () => this.CONSUME(NumberLiteral) },
        { ALT: () => this.CONSUME(K.true) },
        { ALT: () => this.CONSUME(K.false) },
        { ALT: () => this.CONSUME(K.null) },
        { ALT: () => this.SUBRULE(this.secretRef) },
        { ALT: () => this.SUBRULE(this.settingRef) },
      ],
      ERR_MSG: 'a JSON value (object, array, string, number, true, false, null, setting.NAME or secret.NAME)',
    });
  });

  // ------------------------------------------------------------------ pagination

  public paginate = this.RULE('paginate', () => {
    this.CONSUME(K.paginate);
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.pageTokenPaging) },
        { ALT: () => this.SUBRULE(this.cursorHasMorePaging) },
        { ALT: () => this.SUBRULE(this.pageNumberPaging) },
        { ALT: () => this.SUBRULE(this.offsetPaging) },
        { ALT: () => this.CONSUME(K.link_header) },
        { ALT: () => this.SUBRULE(this.timeWindowPaging) },
      ],
      ERR_MSG: 'a pagination kind (page_token, cursor_has_more, page_number, offset, link_header, time_window)',
    });
  });

  public pageTokenPaging = this.RULE('pageTokenPaging', () => {
    this.CONSUME(K.page_token);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.pageTokenItem));
    this.CONSUME(RBrace);
  });

  public cursorHasMorePaging = this.RULE('cursorHasMorePaging', () => {
    this.CONSUME(K.cursor_has_more);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.cursorHasMoreItem));
    this.CONSUME(RBrace);
  });

  public pageNumberPaging = this.RULE('pageNumberPaging', () => {
    this.CONSUME(K.page_number);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.pageNumberItem));
    this.CONSUME(RBrace);
  });

  public offsetPaging = this.RULE('offsetPaging', () => {
    this.CONSUME(K.offset);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.offsetItem));
    this.CONSUME(RBrace);
  });

  public timeWindowPaging = this.RULE('timeWindowPaging', () => {
    this.CONSUME(K.time_window);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.timeWindowItem));
    this.CONSUME(RBrace);
  });

  public param = this.RULE('param', () => {
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(K.query);
            this.CONSUME(StringLiteral);
          },
        },
        {
          ALT: () => {
            this.CONSUME(K.body);
            this.SUBRULE(this.path);
            this.OPTION(() => this.CONSUME(K.replace));
          },
        },
      ],
      ERR_MSG: 'query "NAME" or body PATH',
    });
  });

  public pageTokenItem = this.RULE('pageTokenItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.token);
          this.SUBRULE(this.path);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.send);
          this.SUBRULE(this.param);
        },
      },
    ]);
  });

  public cursorHasMoreItem = this.RULE('cursorHasMoreItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.cursor);
          this.SUBRULE(this.path);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.has_more);
          this.SUBRULE2(this.path);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.send);
          this.SUBRULE(this.param);
        },
      },
    ]);
  });

  public pageNumberItem = this.RULE('pageNumberItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.send);
          this.SUBRULE(this.param);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.start);
          this.CONSUME(NumberLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.size);
          this.SUBRULE2(this.param);
          this.CONSUME(Equals);
          this.CONSUME2(NumberLiteral);
        },
      },
    ]);
  });

  public offsetItem = this.RULE('offsetItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.offset);
          this.SUBRULE(this.param);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.limit);
          this.SUBRULE2(this.param);
          this.CONSUME(Equals);
          this.CONSUME(NumberLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.total);
          this.SUBRULE(this.path);
        },
      },
    ]);
  });

  public timeWindowItem = this.RULE('timeWindowItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.step);
          this.CONSUME(Duration);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.format);
          this.SUBRULE(this.dateFormat);
        },
      },
    ]);
  });

  public dateFormat = this.RULE('dateFormat', () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(K.iso8601) },
        { ALT: () => this.CONSUME(K.unix_ms) },
        { ALT: () => this.CONSUME(K.unix) },
        { ALT: () => this.CONSUME(StringLiteral) },
      ],
      ERR_MSG: 'a date format (iso8601, unix_ms, unix or a pattern string like "dd/MM/yyyy")',
    });
  });

  // ------------------------------------------------------------------ records, cursor, limits

  public records = this.RULE('records', () => {
    this.CONSUME(K.records);
    this.OR({
      DEF: [{ ALT: () => this.SUBRULE(this.path) }, { ALT: () => this.CONSUME(Dollar) }],
      ERR_MSG: 'a path or "$"',
    });
  });

  public split = this.RULE('split', () => {
    this.CONSUME(K.split);
    this.SUBRULE(this.path);
  });

  public cursor = this.RULE('cursor', () => {
    this.CONSUME(K.cursor);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.cursorItem));
    this.CONSUME(RBrace);
  });

  public cursorItem = this.RULE('cursorItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.max);
          this.SUBRULE(this.path);
          this.CONSUME(K.format);
          this.SUBRULE(this.dateFormat);
        },
      },
      { ALT: () => this.CONSUME(K.next_page) },
      {
        ALT: () => {
          this.CONSUME(K.start);
          this.OR2({
            DEF: [{ ALT: () => this.SUBRULE(this.settingRef) }, { ALT: () => this.CONSUME(Duration) }],
            ERR_MSG: 'setting.NAME or a duration (like 30d)',
          });
        },
      },
    ]);
  });

  public rateLimit = this.RULE('rateLimit', () => {
    this.CONSUME(K.rate_limit);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.rateLimitItem));
    this.CONSUME(RBrace);
  });

  public rateLimitItem = this.RULE('rateLimitItem', () => {
    this.OR([
      { ALT: () => this.CONSUME(K.retry_after) },
      {
        ALT: () => {
          this.CONSUME(K.remaining);
          this.CONSUME(StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.reset);
          this.CONSUME2(StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.requests_per_second);
          this.CONSUME(NumberLiteral);
        },
      },
    ]);
  });

  public retry = this.RULE('retry', () => {
    this.CONSUME(K.retry);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.retryItem));
    this.CONSUME(RBrace);
  });

  public retryItem = this.RULE('retryItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.attempts);
          this.CONSUME(NumberLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.backoff);
          this.CONSUME(Duration);
          this.CONSUME(K.to);
          this.CONSUME2(Duration);
        },
      },
    ]);
  });

  public maxPages = this.RULE('maxPages', () => {
    this.CONSUME(K.max_pages);
    this.CONSUME(NumberLiteral);
  });

  // ------------------------------------------------------------------ map

  public map = this.RULE('map', () => {
    this.CONSUME(K.map);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.mapItem));
    this.CONSUME(RBrace);
  });

  public mapItem = this.RULE('mapItem', () => {
    this.OR({
      ERR_MSG: MAP_ITEM_PHRASE,
      DEF: [
        {
          ALT: () => {
            this.CONSUME(K.namespace);
            this.SUBRULE(this.path);
          },
        },
        {
          ALT: () => {
            // Any name here (checked by the visitor): `keep`/`drop` as the only choices would make
            // `unmapped maybe` fail as "not a map item" instead of "expected keep or drop".
            this.CONSUME(K.unmapped);
            this.CONSUME(Name);
          },
        },
        {
          ALT: () => {
            this.CONSUME(K.original);
            this.CONSUME(K.when);
            this.SUBRULE(this.settingRef);
          },
        },
        {
          ALT: () => {
            this.CONSUME(K.id);
            this.OR2([
              {
                // `id raw PATH`: `raw` followed on its line by a path; `id raw`, `id raw.x` and
                // `id raw, x` read a field called `raw` (hashed).
                GATE: () => this.LA(1).tokenType === K.raw && startsSegmentOnLine(this.LA(1), this.LA(2)),
                ALT: () => {
                  this.CONSUME(K.raw);
                  this.SUBRULE3(this.pathList);
                },
                IGNORE_AMBIGUITIES: true,
              },
              { ALT: () => this.SUBRULE(this.pathList) },
            ]);
          },
        },
        {
          ALT: () => {
            this.CONSUME(K.remove);
            this.SUBRULE2(this.pathList);
            this.OPTION(() => {
              this.CONSUME3(K.when);
              this.SUBRULE2(this.condition);
            });
          },
        },
        {
          // `geoip PATH` / `asn PATH` / `user_agent PATH`; a field called `geoip` (`geoip = x`,
          // `user_agent.original = y`) is still a rule: the next token is `=`, `+=` or `.`, never a
          // path's first segment (LL(2)).
          ALT: () => {
            this.OR3([
              { ALT: () => this.CONSUME(K.geoip) },
              { ALT: () => this.CONSUME(K.asn) },
              { ALT: () => this.CONSUME(K.user_agent) },
            ]);
            this.SUBRULE4(this.path);
          },
        },
        {
          // `drop when COND` or `drop empty` (any name here, checked by the visitor, as after
          // `unmapped`); a field called `drop` (`drop = x`) is still a rule (LL(2)).
          ALT: () => {
            this.CONSUME(K.drop);
            this.OR4([
              {
                ALT: () => {
                  this.CONSUME2(K.when);
                  this.SUBRULE(this.condition);
                },
              },
              { ALT: () => this.CONSUME2(Name) },
            ]);
          },
        },
        { ALT: () => this.SUBRULE(this.rule) },
      ],
    });
  });

  public pathList = this.RULE('pathList', () => {
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.path) });
  });

  public rule = this.RULE('rule', () => {
    this.SUBRULE(this.path);
    this.OR({
      DEF: [{ ALT: () => this.CONSUME(Equals) }, { ALT: () => this.CONSUME(PlusEq) }],
      ERR_MSG: '"=" or "+="',
    });
    this.SUBRULE(this.value);
    // `on_error ignore|record` on the rule's line: a field called `on_error` starting the next
    // line is that line's rule (the gate), as for `id raw`.
    this.OPTION({
      GATE: () => tokenMatcher(this.LA(1), K.on_error) && this.LA(1).startLine === this.LA(0).endLine,
      DEF: () => {
        this.CONSUME(K.on_error);
        this.OR2({
          DEF: [{ ALT: () => this.CONSUME(Name) }],
          ERR_MSG: 'ignore or record',
        });
      },
    });
    this.OPTION2(() => {
      this.CONSUME(K.when);
      this.SUBRULE(this.condition);
    });
  });

  /**
   * `SOURCE { "," SOURCE }`: several sources only after `+=` (the visitor says so, and that
   * transforms follow the last source and apply to every one).
   */
  public value = this.RULE('value', () => {
    this.SUBRULE(this.valueSource);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.valueSource);
    });
  });

  /**
   * `(NUMBER | path) [ selection ] [ "(" path ")" ] { "|" transform }`: the call form is
   * `copy(ECS.FIELD)`; a selection picks an array element (`target[type == "User"].id`).
   */
  public valueSource = this.RULE('valueSource', () => {
    this.OR({
      DEF: [{ ALT: () => this.CONSUME(NumberLiteral) }, { ALT: () => this.SUBRULE(this.path) }],
      ERR_MSG: 'a value (a string, a number, true, false, a field path or copy(FIELD))',
    });
    this.OPTION2(() => this.SUBRULE(this.selection));
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.SUBRULE2(this.path);
      this.CONSUME(RParen);
    });
    this.MANY(() => {
      this.CONSUME(Pipe);
      this.SUBRULE(this.transform);
    });
  });

  /**
   * `"[" path "==" literal "]" [ "." path ]`: the first element whose field equals the literal,
   * then a path in it; or `"[" "]" "{" elementField { "," elementField } "}"`: every object
   * element with the listed fields, renamed.
   */
  public selection = this.RULE('selection', () => {
    this.CONSUME(LBracket);
    this.OR([
      {
        ALT: () => {
          this.SUBRULE(this.path, { LABEL: 'key' });
          this.CONSUME(EqEq);
          this.SUBRULE(this.literal);
          this.CONSUME(RBracket);
          this.OPTION(() => {
            this.CONSUME(Dot);
            this.SUBRULE2(this.path, { LABEL: 'rest' });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME2(RBracket);
          this.CONSUME(LBrace);
          this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.elementField) });
          this.CONSUME(RBrace);
        },
      },
    ]);
  });

  /** `segment [ "=" path ]`: a field of the new element, from the old element's path (the same name by default). */
  public elementField = this.RULE('elementField', () => {
    this.SUBRULE(this.segment, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(Equals);
      this.SUBRULE(this.path, { LABEL: 'from' });
    });
  });

  public transform = this.RULE('transform', () => {
    this.CONSUME(Name);
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.transformArg) });
      this.CONSUME(RParen);
    });
  });

  public transformArg = this.RULE('transformArg', () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(Name) },
        { ALT: () => this.CONSUME(StringLiteral) },
        { ALT: () => this.CONSUME(NumberLiteral) },
      ],
      ERR_MSG: 'a transform argument (a name, a string or a number)',
    });
  });

  /**
   * `COND = AND { "or" AND }`; `AND = NOT { "and" NOT }`; `NOT = { "not" } ATOM` (so `not` binds
   * tighter than `and`, which binds tighter than `or`). The `not`s are a loop, not a recursion, so a
   * long chain of them cannot exhaust the parser's stack; parentheses are bounded by `MAX_NESTING`.
   */
  public condition = this.RULE('condition', () => {
    this.SUBRULE(this.andCondition);
    this.MANY(() => {
      this.CONSUME(K.or);
      this.SUBRULE2(this.andCondition);
    });
  });

  public andCondition = this.RULE('andCondition', () => {
    this.SUBRULE(this.notCondition);
    this.MANY(() => {
      this.CONSUME(K.and);
      this.SUBRULE2(this.notCondition);
    });
  });

  /** `not` always negates (a field called `not` is written quoted in a condition). */
  public notCondition = this.RULE('notCondition', () => {
    this.MANY(() => this.CONSUME(K.not));
    this.SUBRULE(this.conditionAtom);
  });

  /**
   * Each kind of condition is told by its first token (`(`, `exists`, `setting`, or a field path,
   * whose first segment is a {@link ConditionName}), so an error inside one points at its own
   * token, never back at the condition's start.
   */
  public conditionAtom = this.RULE('conditionAtom', () => {
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(LParen);
            this.SUBRULE(this.condition);
            this.CONSUME(RParen);
          },
        },
        {
          ALT: () => {
            this.CONSUME(K.exists);
            this.SUBRULE(this.path);
          },
        },
        { ALT: () => this.SUBRULE(this.settingRef) },
        {
          ALT: () => {
            this.SUBRULE(this.conditionPath);
            this.SUBRULE(this.conditionTest);
          },
        },
      ],
      ERR_MSG:
        'a condition (exists PATH, PATH == VALUE, PATH < NUMBER, PATH in [...], PATH starts_with "...", setting.NAME, not ..., (...))',
    });
  });

  /** A field path whose first segment is not `exists`, `not` or `setting` unless quoted. */
  public conditionPath = this.RULE('conditionPath', () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(ConditionName) },
        { ALT: () => this.CONSUME(StringLiteral) },
        { ALT: () => this.CONSUME(AtName) },
        { ALT: () => this.CONSUME(Duration) },
      ],
      ERR_MSG: 'a field path (like meta.create_time)',
    });
    this.MANY(() => {
      this.CONSUME(Dot);
      this.SUBRULE(this.segment);
    });
  });

  /**
   * `now`, `now + DURATION` or `now - DURATION` (the time the record is processed, moved by the
   * duration), then optionally `format F, ...`: how the field's text is read (default iso8601).
   */
  public nowTime = this.RULE('nowTime', () => {
    this.CONSUME(K.now);
    this.OPTION(() => {
      // `now-1h` lexes as `now` and the Duration `-1h`; the visitor takes a bare one only with its `-`.
      this.OPTION3(() => {
        this.OR({
          DEF: [{ ALT: () => this.CONSUME(Plus) }, { ALT: () => this.CONSUME(Minus) }],
          ERR_MSG: '"+" or "-"',
        });
      });
      this.CONSUME(Duration);
    });
    this.OPTION2(() => {
      this.CONSUME(K.format);
      this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.dateFormat) });
    });
  });

  /** What follows a condition's path: `== VALUE`, `< NUMBER`, `in [VALUE, ...]`, `contains "..."`. */
  public conditionTest = this.RULE('conditionTest', () => {
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.OR2({
              DEF: [
                { ALT: () => this.CONSUME(EqEq) },
                { ALT: () => this.CONSUME(NotEq) },
                { ALT: () => this.CONSUME(Less) },
                { ALT: () => this.CONSUME(LessEq) },
                { ALT: () => this.CONSUME(Greater) },
                { ALT: () => this.CONSUME(GreaterEq) },
              ],
              ERR_MSG: 'a comparison (==, !=, <, <=, >, >=)',
            });
            this.OR4({
              DEF: [{ ALT: () => this.SUBRULE(this.literal) }, { ALT: () => this.SUBRULE(this.nowTime) }],
              ERR_MSG: 'a literal (a string, a number, true or false) or now',
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(K.in);
            this.CONSUME(LBracket);
            this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE2(this.literal) });
            this.CONSUME(RBracket);
          },
        },
        {
          ALT: () => {
            this.OR3({
              DEF: [
                { ALT: () => this.CONSUME(K.starts_with) },
                { ALT: () => this.CONSUME(K.ends_with) },
                { ALT: () => this.CONSUME(K.contains) },
              ],
            });
            this.CONSUME(StringLiteral);
          },
        },
      ],
      ERR_MSG: 'a test (==, !=, <, <=, >, >=, in [...], starts_with, ends_with or contains)',
    });
  });

  // ------------------------------------------------------------------ record schema

  public record = this.RULE('record', () => {
    this.CONSUME(K.record);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.recordField));
    this.CONSUME(RBrace);
  });

  /**
   * `PATH TYPE { "|" TYPE } { MODIFIER }`. Modifiers are taken greedily: a word `optional`,
   * `nullable` or `format` after a field's type always modifies that field, so a field with one
   * of these names is written quoted when it follows another field (`"format" string`).
   */
  public recordField = this.RULE('recordField', () => {
    this.SUBRULE(this.path);
    this.SUBRULE(this.fieldType);
    this.MANY(() => {
      this.CONSUME(Pipe);
      this.SUBRULE2(this.fieldType);
    });
    this.MANY2(() => this.SUBRULE(this.fieldModifier));
  });

  /**
   * A type name and, for `array`, `of TYPE`. Only a type word is taken (a gate on the word), so a
   * field whose type is missing fails here, at the next line's path, instead of taking that path
   * as its type and failing again further on.
   */
  public fieldType = this.RULE('fieldType', () => {
    this.OR({
      DEF: [{ GATE: () => isFieldTypeName(this.LA(1).image), ALT: () => this.CONSUME(Name) }],
      ERR_MSG: FIELD_TYPES_PHRASE,
    });
    this.OPTION(() => {
      this.CONSUME(K.of);
      this.SUBRULE(this.fieldType);
    });
  });

  public fieldModifier = this.RULE('fieldModifier', () => {
    this.OR([
      { ALT: () => this.CONSUME(K.optional) },
      { ALT: () => this.CONSUME(K.nullable) },
      {
        ALT: () => {
          this.CONSUME(K.format);
          this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.fieldFormat) });
        },
      },
    ]);
  });

  /** `iso8601`, `unix_ms`, `unix`, `ip` (names, checked by the visitor) or a date pattern string. */
  public fieldFormat = this.RULE('fieldFormat', () => {
    this.OR({
      DEF: [{ ALT: () => this.CONSUME(Name) }, { ALT: () => this.CONSUME(StringLiteral) }],
      ERR_MSG: FIELD_FORMATS_PHRASE,
    });
  });

  // ------------------------------------------------------------------ paths

  public path = this.RULE('path', () => {
    this.SUBRULE(this.segment);
    this.MANY(() => {
      this.CONSUME(Dot);
      this.SUBRULE2(this.segment);
    });
  });

  public segment = this.RULE('segment', () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(Name) },
        { ALT: () => this.CONSUME(StringLiteral) },
        { ALT: () => this.CONSUME(AtName) },
        // `1password` in `1password.events.uuid`: digits then a word lex as a Duration.
        { ALT: () => this.CONSUME(Duration) },
      ],
      ERR_MSG: 'a field path (like meta.create_time)',
    });
  });
}

/**
 * Whether `next` starts a path segment on the line of `keyword` (`id raw uuid`): a name, a quoted
 * segment or an `@name`, not `.`/`,` and not the start of the next line's item.
 */
function startsSegmentOnLine(keyword: IToken, next: IToken): boolean {
  const segment = tokenMatcher(next, Name) || tokenMatcher(next, StringLiteral) || tokenMatcher(next, AtName);
  return segment && next.startLine === keyword.endLine;
}

/** One shared parser instance (chevrotain parsers are reusable: set `input`, call a rule). */
export const mapParser = new MapParser();

/** Token types whose first token starts a top-level declaration (used to resume after junk). */
export const DECLARATION_STARTS: readonly TokenType[] = [
  K.integration,
  K.setting,
  K.secret,
  K.table,
  K.stream,
  K.defaults,
];
