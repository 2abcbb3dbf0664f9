/**
 * SQL injection, in the spirit of libinjection's token fingerprints: a quote or number that breaks out of a value,
 * followed by SQL operators, set operations, stacked statements, comments or timing/metadata functions.
 */
import { words, type Family } from './types.js';

const QUOTE = `[\\'"]`; // end of a quoted value
/** A one-letter name compared with itself ("x=x", "a='a", "('x')=('x"): a tautology without digits. */
const LOGIC = '(or|and|xor|having|\\|\\||&&)';

export const sqlInjection: Family = {
  type: 'sql_injection',
  tags: {
    QUOTE_LOGIC: [`${QUOTE}\\)? ?(or|and|xor|\\|\\||&&|div|like|rlike|regexp|having|between|in|is|not|limit|procedure|order|group|into|union)\\b`,
      // ('">' closes every HTML attribute: a double quote straight into ">" is markup; a spaced "x" > 1 is still SQL.)
      `${QUOTE}\\)? ?[=<!]`, `'\\)? ?>`, `"\\)? >`, `${QUOTE}\\)? ?[-+*/|^&]`, `${QUOTE}\\)? ?;`, `${QUOTE}\\)? ?(--|#|/\\*|%00|\\x01)`],
    NUM_LOGIC: ['\\d\\)? (or|and|xor|div|having|procedure|limit|order by|group by|into)\\b', '^ ?-\\d', '\\d\\)? ?(--|#)'],
    // Comparisons of constants after OR/AND: "or 1=1", "and '2'>'1'", "|| 3 like 3".
    TAUT_OP: [`\\b(or|and|xor|having|\\|\\||&&) ?\\(? ?${QUOTE}?\\d`],
    COMPARE: [`\\d${QUOTE}? ?(=|<|>|!=|<>|like) ?${QUOTE}?\\d`],
    // '1'='1 and 'a' like 'a; not " = " (string concatenation in code).
    TAUTOLOGY: [`${QUOTE}(=|<>|!=)${QUOTE}`, `${QUOTE} like ${QUOTE}`,
      '\\b(or|and|xor|\\|\\||&&) ?\\(? ?(true|false|not|null|sleep|benchmark|exists|ascii|substring|char|ord|mid|user|database|version|select)\\b'],
    UNION: [...words('union( all| distinct)? ?\\(? ?select', 'union ?\\( ?select'),
      // Glued to the number it breaks out of ("-0union (select"): no word boundary there.
      '\\dunion( all| distinct)? ?\\(? ?select\\b'],
    // A value that starts with a SQL clause is a fragment appended to a query (" ORDER BY 28", " AND 1=0").
    START_CLAUSE: ['^ ?(and|or|xor|having|where) \\(? ?[\\d\'"@]', '^ ?(order|group) by \\d', '^ ?union\\b', '^ ?procedure analyse'],
    SUBQUERY: ['\\( ?select (top \\d|@|\\*|count|cast|concat|char|substring|ascii|user|version|database|name|table_name|column_name|login|password)',
      '\\bselect top \\d', '\\bas n?varchar\\b', '\\bcurrent_setting ?\\(', '\\bload data (local )?infile\\b'],
    STACKED: ['[\\\'"\\d][ ]?;[ ]?(drop|delete|insert|update|exec|execute|shutdown|declare|create|alter|truncate|waitfor|grant|revoke|select)\\b'],
    TIMING: words('sleep ?\\( ?\\d', 'pg_sleep ?\\(', 'benchmark ?\\( ?\\d', 'waitfor (delay|time)', 'dbms_pipe\\.receive_message', 'dbms_lock\\.sleep',
      'randomblob ?\\( ?\\d'),
    META: words('information_schema', 'sysobjects', 'syscolumns', 'mysql\\.user', 'pg_shadow', 'msysobjects', '@@version', '@@datadir',
      '@@hostname', 'load_file ?\\(', 'into (out|dump)file', 'xp_cmdshell', 'sp_executesql', 'sp_oacreate', 'utl_http', 'utl_inaddr',
      'extractvalue ?\\(', 'updatexml ?\\(', 'name_const', 'procedure analyse', 'lo_import', 'lo_export', 'from program'),
    META_WEAK: words('sys\\.tables', 'pg_catalog', 'sqlite_master', 'all_tables', 'user_tables', 'table_name', 'column_name', 'table_schema',
      'schema_name', 'version ?\\( ?\\)', 'database ?\\( ?\\)', 'user ?\\( ?\\)', 'current_user', 'system_user', 'session_user',
      'schema ?\\( ?\\)', 'db_name ?\\(', 'exp ?\\( ?~', 'geometrycollection ?\\(', 'convert ?\\( ?int', 'cast ?\\('),
    FUNCS: words('concat(_ws)? ?\\(', 'group_concat ?\\(', 'char ?\\( ?\\d', 'chr ?\\( ?\\d', 'ascii ?\\(', 'substring ?\\(', 'substr ?\\(',
      'mid ?\\(', 'ord ?\\(', 'hex ?\\(', 'unhex ?\\(', 'md5 ?\\(', 'count ?\\( ?\\*', 'iif ?\\(', 'case when', 'having',
      'order by \\d', 'group by \\d', 'limit \\d{1,4} ?, ?\\d', 'null ?, ?null', '0x[0-9a-f]{2}', 'collate', 'from dual',
      'select \\d', 'select null', 'select \\*', 'select [a-z_@(]', 'from [a-z_]'),
    COMMENT_END: ['(--|#)[-+ ]{0,3}$', '/\\*$', '%00$', '\\x01$', '--[a-z+ -]$', '(--|#|/\\*) ?[a-z0-9]?$'],
    // "or x=x", "and 'a'='a": a one-letter name compared with itself (the confirmation checks the two letters).
    LETTER_TAUT: [`\\b(or|and|xor) [\\'"]?[a-z][\\'"]? ?= ?[\\'"]?[a-z]\\b`],
    // "' or 1" as a whole value: the shortest tautology probe.
    TAUT_END: [`\\b${LOGIC} [\\'"]?\\d{1,6} ?$`],
    // A break-out from a number that a UNION follows: a value opening with a negative number, or a number and a comment.
    NUM_BREAK: ['^ ?-\\d', '\\d\\)? ?(--|#)'],
    SELECT_OPEN: ['\\( ?select\\b'],
    // A closed call or subquery and then a comment that ends the input: the rest of the query is cut off.
    // ("print(total)  #" and "(after installing deps) --" are code and prose: a quote, digit or parenthesis before it.)
    PAREN_COMMENT: ['[\\\'"\\d)] ?\\) ?--[-+ ]{0,3}$'],
    UNION_WORD: words('union'),
    DROP_TABLE: words('drop (table|database|schema|user)', 'truncate table', 'delete from', 'insert into', 'alter table',
      'shutdown', 'exec(ute)? ?\\(', 'exec (master|xp_|sp_)'),
    // A destructive statement on its own is what SQL tutorials teach: informational, unless written to slip past
    // filters (look-alike letters, escapes), which raises every finding one level.
    DESTRUCTIVE: words('drop (table|database|schema)', 'truncate table'),
  },
  rules: [
    { id: 'sqli.start-clause', seq: ['START_CLAUSE'], severity: 'medium', description: 'value starting with a SQL clause' },
    { id: 'sqli.subquery', seq: ['SUBQUERY'], severity: 'medium', description: 'SQL subquery reading data' },
    // A whole query that unites two SELECTs ("SELECT city FROM a UNION SELECT city FROM b") is SQL, not an injection.
    { id: 'sqli.union', seq: ['UNION'], confirm: 'notWholeQuery', severity: 'high', description: 'UNION-based SQL injection' },
    { id: 'sqli.union-query', seq: ['UNION'], confirm: 'wholeQuery', severity: 'low', description: 'query uniting two SELECTs' },
    { id: 'sqli.stacked', seq: ['STACKED'], severity: 'high', description: 'stacked SQL statement after a value' },
    { id: 'sqli.timing', seq: ['TIMING'], severity: 'high', description: 'time-based blind SQL injection' },
    { id: 'sqli.quote-logic', overlap: true, seq: ['QUOTE_LOGIC', 'TAUTOLOGY'], within: 6, severity: 'high', description: 'quote break-out with tautology' },
    { id: 'sqli.quote-compare', overlap: true, seq: ['QUOTE_LOGIC', 'TAUT_OP', 'COMPARE'], within: 6, severity: 'high', description: 'quote break-out with tautology' },
    { id: 'sqli.num-compare', overlap: true, seq: ['NUM_LOGIC', 'TAUT_OP', 'COMPARE'], within: 6, severity: 'high', description: 'numeric break-out with tautology' },
    { id: 'sqli.compare-comment', overlap: true, seq: ['TAUT_OP', 'COMPARE', 'COMMENT_END'], within: 40, severity: 'high', description: 'tautology terminated by a comment' },
    { id: 'sqli.quote-comment', overlap: true, seq: ['QUOTE_LOGIC', 'COMMENT_END'], within: 40, severity: 'high', description: 'quote break-out terminated by a comment' },
    { id: 'sqli.quote-func', seq: ['QUOTE_LOGIC', 'FUNCS'], within: 12, severity: 'high', description: 'quote break-out into SQL' },
    { id: 'sqli.quote-meta', seq: ['QUOTE_LOGIC', 'META'], within: 40, severity: 'high', description: 'quote break-out reading metadata' },
    { id: 'sqli.num-logic', overlap: true, seq: ['NUM_LOGIC', 'TAUTOLOGY'], within: 6, severity: 'high', description: 'numeric break-out with tautology' },
    { id: 'sqli.num-func', seq: ['NUM_LOGIC', 'FUNCS'], within: 16, severity: 'medium', description: 'numeric break-out into SQL' },
    { id: 'sqli.meta', seq: ['META'], severity: 'medium', description: 'database metadata or file access function' },
    { id: 'sqli.meta-func', seq: ['FUNCS', 'META'], within: 60, severity: 'high', description: 'SQL functions reading metadata' },
    { id: 'sqli.quote-meta-weak', seq: ['QUOTE_LOGIC', 'META_WEAK'], within: 24, severity: 'high', description: 'quote break-out reading metadata' },
    { id: 'sqli.num-meta-weak', seq: ['NUM_LOGIC', 'META_WEAK'], within: 24, severity: 'medium', description: 'numeric break-out reading metadata' },
    { id: 'sqli.tautology-comment', overlap: true, seq: ['TAUTOLOGY', 'COMMENT_END'], within: 40, severity: 'high', description: 'tautology terminated by a comment' },
    { id: 'sqli.func-comment', seq: ['FUNCS', 'COMMENT_END'], within: 60, severity: 'medium', description: 'SQL fragment terminated by a comment' },
    { id: 'sqli.quote-letter', overlap: true, seq: ['QUOTE_LOGIC', 'LETTER_TAUT'], within: 6, severity: 'high', description: 'quote break-out with tautology', confirm: 'selfCompare' },
    { id: 'sqli.start-letter', seq: ['LETTER_TAUT'], severity: 'medium', description: 'value starting with a tautology', confirm: 'selfCompareFirst' },
    { id: 'sqli.quote-taut-end', overlap: true, seq: ['QUOTE_LOGIC', 'TAUT_END'], within: 6, severity: 'medium', description: 'quote break-out with tautology' },
    // A number and a comment and nothing else ("1--", "1 * 1 /*"): a probe for a numeric parameter.
    { id: 'sqli.num-comment', overlap: true, seq: ['NUM_LOGIC', 'COMMENT_END'], within: 0, severity: 'medium', description: 'number followed by a SQL comment (probe)', confirm: 'numberOnly' },
    { id: 'sqli.num-subquery', seq: ['NUM_LOGIC', 'SELECT_OPEN'], within: 6, severity: 'medium', description: 'numeric break-out into a subquery' },
    { id: 'sqli.paren-comment', seq: ['PAREN_COMMENT'], severity: 'medium', description: 'closed SQL expression, rest of the query commented out' },
    { id: 'sqli.num-union', seq: ['NUM_BREAK', 'UNION_WORD'], within: 6, severity: 'medium', description: 'numeric break-out into UNION' },
    { id: 'sqli.destructive', seq: ['DESTRUCTIVE'], severity: 'low', description: 'destructive SQL statement' },
    { id: 'sqli.quote-drop', seq: ['QUOTE_LOGIC', 'DROP_TABLE'], within: 12, severity: 'high', description: 'quote break-out into a destructive statement' },
  ],
};
