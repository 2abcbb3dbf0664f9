/**
 * SQL injection, in the spirit of libinjection's token fingerprints: a quote or number that breaks out of a value,
 * followed by SQL operators, set operations, stacked statements, comments or timing/metadata functions.
 */
import { words, type Family } from './types.js';

const BREAK = `[\\'"\`)]`; // end of a quoted or parenthesized value

export const sqlInjection: Family = {
  type: 'sql_injection',
  tags: {
    QUOTE_LOGIC: [`${BREAK}\\)? ?(or|and|xor|\\|\\||&&|div|like|rlike|regexp|having|between|in|is|not|limit|procedure|order|group|into)\\b`,
      `${BREAK}\\)? ?[=<>!]`, `${BREAK}\\)? ?[-+*/|^&]`, `${BREAK}\\)? ?;`, `${BREAK}\\)? ?(--|#|/\\*|%00|\\x01)`],
    NUM_LOGIC: ['\\d\\)? (or|and|xor|div|having|procedure|limit|order by|group by|into)\\b', '^-\\d', '\\d\\)? ?(--|#)'],
    TAUTOLOGY: ['\\b(or|and|xor|\\|\\||&&) ?\\(?[\\d\'"]', '\\b(or|and) (true|false|not|null|sleep|benchmark|exists|ascii|substring|char|ord|mid|user|database|version)\\b', '\\d ?= ?\\d', '\' ?= ?\'', '\\b(or|and) \\d{1,3} ?[-+*/<>=!]'],
    UNION: words('union( all| distinct)? ?\\(? ?select', 'union ?\\(', 'union all'),
    STACKED: ['; ?(drop|delete|insert|update|exec|execute|shutdown|declare|create|alter|truncate|select|waitfor|set|grant|revoke|call|do|load|begin|rename|merge|copy|use|kill|sp_|xp_)\\b'],
    TIMING: words('sleep ?\\(', 'pg_sleep ?\\(', 'benchmark ?\\(', 'waitfor (delay|time)', 'dbms_pipe\\.receive_message', 'dbms_lock\\.sleep',
      'randomblob ?\\(', 'generate_series'),
    META: words('information_schema', 'sysobjects', 'syscolumns', 'sys\\.tables', 'mysql\\.user', 'pg_catalog', 'pg_shadow',
      'sqlite_master', 'all_tables', 'user_tables', 'msysobjects', 'table_name', 'column_name', 'table_schema', 'schema_name',
      '@@version', '@@datadir', '@@hostname', 'version ?\\( ?\\)', 'database ?\\( ?\\)', 'user ?\\( ?\\)', 'current_user', 'system_user',
      'session_user', 'schema ?\\( ?\\)', 'db_name ?\\(', 'load_file ?\\(', 'into (out|dump)file', 'xp_cmdshell', 'sp_executesql',
      'sp_oacreate', 'utl_http', 'utl_inaddr', 'extractvalue ?\\(', 'updatexml ?\\(', 'exp ?\\( ?~', 'geometrycollection ?\\(',
      'convert ?\\( ?int', 'cast ?\\(', 'name_const', 'procedure analyse', 'lo_import', 'lo_export', 'from program'),
    FUNCS: words('concat(_ws)? ?\\(', 'group_concat ?\\(', 'char ?\\(', 'chr ?\\(', 'ascii ?\\(', 'substring ?\\(', 'substr ?\\(',
      'mid ?\\(', 'ord ?\\(', 'hex ?\\(', 'unhex ?\\(', 'md5 ?\\(', 'count ?\\( ?\\*', 'if ?\\(', 'iif ?\\(', 'case when', 'having',
      'order by \\d', 'group by \\d', 'limit \\d{1,4} ?, ?\\d', 'null ?, ?null', '0x[0-9a-f]{2}', 'collate', 'binary', 'from dual',
      'select \\d', 'select null', 'select \\*', 'select [a-z_@(]', 'from [a-z_]', 'where \\d'),
    COMMENT_END: ['(--|#) ?-?\\+?$', '/\\*$', '(--|#)[-+ ]{0,3}$', ';$', '%00$', '\\x01$', '`$', '--[a-z+ -]$'],
    DROP_TABLE: words('drop (table|database|schema|user)', 'truncate table', 'delete from', 'insert into', 'alter table',
      'shutdown', 'exec(ute)? ?\\(', 'exec (master|xp_|sp_)'),
  },
  rules: [
    { id: 'sqli.union', seq: ['UNION'], severity: 'high', description: 'UNION-based SQL injection' },
    { id: 'sqli.stacked', seq: ['STACKED'], severity: 'high', description: 'stacked SQL statement after a value' },
    { id: 'sqli.timing', seq: ['TIMING'], severity: 'high', description: 'time-based blind SQL injection' },
    { id: 'sqli.quote-logic', seq: ['QUOTE_LOGIC', 'TAUTOLOGY'], within: 6, severity: 'high', description: 'quote break-out with tautology' },
    { id: 'sqli.quote-comment', seq: ['QUOTE_LOGIC', 'COMMENT_END'], within: 40, severity: 'high', description: 'quote break-out terminated by a comment' },
    { id: 'sqli.quote-func', seq: ['QUOTE_LOGIC', 'FUNCS'], within: 12, severity: 'high', description: 'quote break-out into SQL' },
    { id: 'sqli.quote-meta', seq: ['QUOTE_LOGIC', 'META'], within: 40, severity: 'high', description: 'quote break-out reading metadata' },
    { id: 'sqli.num-logic', seq: ['NUM_LOGIC', 'TAUTOLOGY'], within: 6, severity: 'high', description: 'numeric break-out with tautology' },
    { id: 'sqli.num-func', seq: ['NUM_LOGIC', 'FUNCS'], within: 16, severity: 'medium', description: 'numeric break-out into SQL' },
    { id: 'sqli.meta', seq: ['META'], severity: 'medium', description: 'database metadata or file access function' },
    { id: 'sqli.meta-func', seq: ['FUNCS', 'META'], within: 60, severity: 'high', description: 'SQL functions reading metadata' },
    { id: 'sqli.tautology-comment', seq: ['TAUTOLOGY', 'COMMENT_END'], within: 40, severity: 'high', description: 'tautology terminated by a comment' },
    { id: 'sqli.func-comment', seq: ['FUNCS', 'COMMENT_END'], within: 60, severity: 'medium', description: 'SQL fragment terminated by a comment' },
    { id: 'sqli.quote-drop', seq: ['QUOTE_LOGIC', 'DROP_TABLE'], within: 12, severity: 'high', description: 'quote break-out into a destructive statement' },
  ],
};
