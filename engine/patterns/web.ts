/** XSS, NoSQL operators, LDAP filter injection, server-side templates and XXE: markup- and syntax-shaped attacks. */
import { words, type Family } from './types.js';

const EVENTS = 'on(error|load|click|mouseover|mouseout|mouseenter|mousedown|mouseup|focus|focusin|blur|input|change|submit|keydown|keyup|keypress|toggle|animationstart|animationend|transitionend|pageshow|hashchange|resize|scroll|wheel|drag|dragstart|drop|play|begin|end|start|finish|unload|beforeunload|message|popstate|readystatechange|auxclick|dblclick|contextmenu|copy|cut|paste|pointerover|pointerdown|pointerenter|select|show|search|invalid|afterprint|beforeprint|loadstart|loadend|progress|timeupdate|volumechange|canplay|durationchange|emptied|ended|seeked|seeking|stalled|suspend|waiting|abort|cuechange|formdata|reset)';

export const xss: Family = {
  type: 'xss',
  tags: {
    SCRIPT_TAG: ['<(\\/ ?)?script\\b', '<script>', ':script\\b'],
    JS_URL: ['\\b(java|vb|live)script:[^\\s]', '\\bdata ?: ?text/html'],
    EVENT_ATTR: [`[\\s/"'\`;]${EVENTS} ?=`],
    TAG_OPEN: ['<(img|svg|iframe|frame|frameset|object|embed|body|input|video|audio|source|details|marquee|math|a|div|style|link|meta|base|form|button|isindex|table|td|html|xss|x|image|textarea|select|keygen|applet|bgsound|layer|ilayer|xml|set|animate|p|b|i|u|span|br|h1|title|template|noscript|object|param|plaintext|listing|xmp|dialog|picture|track|option|svg/)\\b'],
    CALL: ['\\b(alert|prompt|confirm|eval|settimeout|setinterval|atob|fetch|import|msgbox)\\b ?[(`]', '\\bfromcharcode ?\\(',
      '\\.(cookie|domain)\\b', '\\[[\'"`](alert|prompt|confirm|eval|cookie)'],
    STYLE_EXPR: ['\\bexpression\\(', '@import', '-moz-binding', 'behavior ?:', 'url ?\\( ?[\'"]?javascript'],
    SRC_ATTR: ['\\b(src|href|action|formaction|data|xlink:href|srcdoc|background|dynsrc|lowsrc|poster|code|codebase) ?='],
    // Handlers that fire with no user action: the ones payloads use.
    AUTO_EVENT: ['[\\s/"\'`;]on(error|load|focus|focusin|mouseover|toggle|begin|animationstart|animationend|pageshow|transitionend|start|finish|loadstart|readystatechange) ?='],
    DANGER_TAG: ['<(script|img|svg|iframe|frame|object|embed|body|details|math|video|audio|marquee|isindex|input|form|base|link|meta|style|xss|image|template|dialog|a href)\\b'],
    BREAKOUT: ['[\'"] ?> ?<', '[\'"] ?\\) ?;', '[\'"][ ]?;[ ]?[a-z]', '[\'"][ ]?[-+*|&^][ ]?[a-z]', '\\]\\]> ?<', '</(title|textarea|style|noscript|script|iframe)>'],
  },
  rules: [
    { id: 'xss.script-call', seq: ['SCRIPT_TAG', 'CALL'], within: 200, severity: 'high', description: 'script element running code' },
    { id: 'xss.script-src', seq: ['SCRIPT_TAG', 'SRC_ATTR'], within: 60, severity: 'low', description: 'script element loading code' },
    { id: 'xss.script', seq: ['SCRIPT_TAG'], severity: 'low', description: 'script element' },
    { id: 'xss.js-url', seq: ['JS_URL'], severity: 'high', description: 'javascript:/data: URL' },
    { id: 'xss.event-handler', seq: ['TAG_OPEN', 'EVENT_ATTR'], within: 200, severity: 'low', description: 'HTML element with an event handler' },
    { id: 'xss.auto-event', seq: ['DANGER_TAG', 'AUTO_EVENT'], within: 120, severity: 'medium', description: 'element with a handler that fires by itself' },
    { id: 'xss.event-call', seq: ['EVENT_ATTR', 'CALL'], within: 60, severity: 'high', description: 'event handler attribute running code' },
    { id: 'xss.breakout-tag', seq: ['BREAKOUT', 'DANGER_TAG'], within: 4, severity: 'high', description: 'attribute break-out into markup' },
    { id: 'xss.breakout-call', seq: ['BREAKOUT', 'CALL'], within: 20, severity: 'high', description: 'string break-out into script code' },
    { id: 'xss.style', seq: ['STYLE_EXPR'], severity: 'medium', description: 'script in CSS' },
    { id: 'xss.tag-src', seq: ['TAG_OPEN', 'SRC_ATTR', 'CALL'], within: 80, severity: 'high', description: 'element source running script' },
    { id: 'xss.call', seq: ['CALL'], severity: 'low', description: 'script call' },
    { id: 'xss.tag-call', seq: ['TAG_OPEN', 'CALL'], within: 40, severity: 'medium', description: 'markup with a script call' },
  ],
};

export const nosqlInjection: Family = {
  type: 'nosql_injection',
  tags: {
    // An operator used as a key: {"$ne": ...}, { $gt: ... }, ['$where'].
    OPERATOR: ['["\'\\[]\\$(ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|function|accumulator|elemmatch|size|type|mod|all|comment|jsonschema)["\'\\]]',
      '[{,] ?\\$(ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|function|accumulator|elemmatch|comment) ?:'],
    BRACKET_OP: ['\\[\\$(ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|size|type|all|elemmatch|expr)\\]'],
    JS_BREAK: ['[\'"](;|[ ]?&&|[ ]?\\|\\|)[ ]?(return|sleep|while|var|db\\.|function|[\'"] ?==)', '\\.match ?\\( ?/\\.\\*/', '[\'"];[ ]?return (true|false|1|\\(true\\)|[\'"])',
      '[\'"] ?\\|\\| ?[\'"]?\\d? ?==', '\\|\\| ?\\d ?== ?\\d', '\\bsleep ?\\( ?\\d{3}'],
    WHERE_JS: ['\\$where ?: ?[\'"]'],
  },
  rules: [
    { id: 'nosql.bracket-operator', seq: ['BRACKET_OP'], severity: 'high', description: 'query-string NoSQL operator ([$ne])' },
    { id: 'nosql.operator', seq: ['OPERATOR'], severity: 'medium', description: 'NoSQL query operator in input' },
    { id: 'nosql.js', seq: ['JS_BREAK'], severity: 'high', description: 'JavaScript break-out in a NoSQL query' },
    { id: 'nosql.where', seq: ['WHERE_JS'], severity: 'high', description: '$where JavaScript clause' },
  ],
};

export const ldapInjection: Family = {
  type: 'ldap_injection',
  tags: {
    FILTER_BREAK: ['\\*\\)\\)? ?\\(', '\\)\\([|&!]', '\\*\\)\\)? ?(%00|\\x01|\\\\00)',
      '\\)\\) ?(%00|\\x01)$', '^\\*\\)'],
    WILDCARD: ['^\\*$', '\\w\\*$', '^\\*\\w', '=\\*\\)\\)'],
    // A wildcard on a password attribute: blind extraction, one character at a time.
    PASSWORD_ATTR: ['\\((user)?password ?='],
    WILD_CLOSE: ['\\*\\)'],
    // The filter metacharacters sent together: probing for injection.
    META_PROBE: ['\\*\\(\\)\\|(&|%26)'],
  },
  rules: [
    { id: 'ldap.filter-break', seq: ['FILTER_BREAK'], severity: 'high', description: 'LDAP filter break-out' },
    { id: 'ldap.wildcard', seq: ['WILDCARD'], severity: 'medium', description: 'LDAP wildcard filter' },
    { id: 'ldap.password-guess', seq: ['PASSWORD_ATTR', 'WILD_CLOSE'], within: 16, severity: 'high', description: 'LDAP wildcard on a password attribute (blind extraction)' },
    { id: 'ldap.meta-probe', seq: ['META_PROBE'], severity: 'medium', description: 'LDAP filter metacharacters (injection probe)' },
  ],
};

export const templateInjection: Family = {
  type: 'template_injection',
  tags: {
    OPEN: ['\\{\\{', '\\$\\{', '#\\{', '\\{%', '<%=?', '\\*\\{', '@\\{', '\\{#', '\\{\\$', '\\[\\[', '\\{php\\}', '#set ?\\(', '#foreach', '\\{@', '@\\(',
      '<#assign', '\\[#assign'],
    PROBE_OBJ: words('self', '_self', 'config', 'settings'),
    EXEC_STRONG: words('os\\.system', 'os\\.popen', 'getruntime', 'processbuilder', 'child_process', 'freemarker', 'shell_exec', 'passthru ?\\(',
      'subprocess', 'registerundefinedfiltercallback', 'getfilter', 'linecache', 'process\\.start', 'classloader', 'class\\.forname',
      'mainmodule', 'constructor\\.constructor', 't\\( ?java', 'java\\.lang\\.runtime', "(filter|sort|map|reduce)\\( ?[\'\"]system",
      'getclassloader', 'diagnostics\\.process', '__globals__', '__builtins__', '__subclasses__',
      // Ruby/Elixir (ERB, EEx), Node, Twig and Handlebars gadgets.
      'system\\.shell', 'file\\.(read|open|write|readlines)', 'dir\\.(entries|glob)', 'io\\.popen', 'process\\.binding', 'spawn_sync',
      '(filter|sort|map|reduce) ?\\( ?[\'"](passthru|exec|shell_exec|ini_set|popen|assert|proc_open)', 'file_excerpt ?\\(',
      'dump ?\\( ?(app|_context)', 'app\\.request\\.server', 'string\\.sub\\.apply', 'subclasses ?\\( ?\\)', '\\.class\\.base\\b'),
    // Filters that reach attributes by computed name ({{request|attr(...)}}): the Jinja sandbox-escape route.
    ATTR_FILTER: ['\\| ?attr ?\\(', '\\| ?map ?\\( ?attribute', 'config\\.(iter)?items ?\\('],
    // An ERB/EEx tag running a shell command in backticks.
    ERB_TICK: ['<%= ?\\(? ?`'],
    // Arithmetic through a filter ({{364|add:733}}), Razor's @(1+2), lodash's _.VERSION: engine fingerprinting probes.
    FILTER_PROBE: ['\\{\\{ ?\\d{1,4} ?\\| ?add ?: ?\\d', '^ ?@\\( ?\\d{1,4} ?[-+*/] ?\\d{1,4} ?\\)', '\\b_\\.(version|templatesettings)\\b'],
    PROBE: ['\\d ?\\*\\*? ?[\'"]?\\d'],
    DUNDER: words('__class__', '__mro__', '__subclasses__', '__globals__', '__builtins__', '__import__', '__base__', '__bases__'),
    EXEC: words('popen', 'os\\.system', 'os\\.popen', 'getruntime', 'processbuilder', 'child_process', 'execute"?\\?new', 'new\\(\\)',
      'freemarker\\.template\\.utility', 'shell_exec', 'passthru ?\\(', 'subprocess', 'import os', 'request\\.application', 'self\\._templatereference',
      'lipsum', 'cycler', 'joiner', 'url_for\\.__globals__', 'get_flashed_messages', 'config\\.items', 'settings\\.secret_key', 'java\\.lang',
      'class\\.forname', 'getclass ?\\(', 'classloader', 'file_get_contents', 'global\\.process', 'mainmodule', 'constructor\\.constructor',
      // (system( without a space: "the system (same as ...)" is prose; application./session. only with an accessor:
      // {{path/to/application.dll}} is a placeholder.)
      't\\( ?java', 'system\\(', 'exec ?\\(', 'eval ?\\(', '#set ?\\(', '\\$class\\.inspect', 'getattribute', 'setattribute', 'readfile',
      'application\\.(get|set)', 'session\\.(get|set)', 'request\\.getparameter', 'runtime\\.exec', 'exec\\("', 'popen\\('),
    CLOSE: ['\\}\\}', '%\\}', '%>', '\\}', '\\]\\]'],
  },
  rules: [
    { id: 'ssti.probe', seq: ['OPEN', 'PROBE', 'CLOSE'], within: 1, severity: 'medium', description: 'template arithmetic probe ({{7*7}})' },
    { id: 'ssti.dunder', seq: ['OPEN', 'DUNDER'], within: 60, severity: 'high', description: 'template reaching Python internals' },
    { id: 'ssti.object', seq: ['OPEN', 'PROBE_OBJ', 'CLOSE'], within: 1, severity: 'low', description: 'template object probe ({{config}})' },
    { id: 'ssti.exec-strong', seq: ['OPEN', 'EXEC_STRONG'], within: 120, severity: 'high', description: 'template expression reaching code execution' },
    { id: 'ssti.exec', seq: ['OPEN', 'EXEC'], within: 40, severity: 'medium', description: 'template expression calling host objects' },
    { id: 'ssti.dunder-exec', seq: ['DUNDER', 'EXEC'], within: 80, severity: 'high', description: 'object-graph walk to code execution' },
    { id: 'ssti.attr-filter', seq: ['OPEN', 'ATTR_FILTER'], within: 40, severity: 'high', description: 'template filter reaching attributes by name' },
    { id: 'ssti.erb-shell', seq: ['ERB_TICK'], severity: 'high', description: 'ERB/EEx tag running a shell command' },
    { id: 'ssti.filter-probe', seq: ['FILTER_PROBE'], severity: 'medium', description: 'template engine fingerprinting probe' },
  ],
};

export const xxe: Family = {
  type: 'xxe',
  tags: {
    DOCTYPE: ['<!doctype'],
    ENTITY: ['<!entity'],
    EXTERNAL: words('system', 'public'),
    PARAM_ENTITY: ['<!entity %'],
    URI: ['\\b(file|http|https|ftp|php|expect|jar|netdoc|gopher|data|dict|ldap)://', '\\bphp://filter', '\\bexpect://'],
    XINCLUDE: ['<xi:include', 'xmlns:xi'],
    // XSLT that runs code or reads files: PHP's XSL extension functions, document() on a path or URL.
    XSLT_EXEC: ['\\bphp:function ?\\(', '\\bxmlns:php ?= ?[\'"]http://php\\.net/xsl', 'runtime:exec ?\\(', '\\bxmlns:(rt|runtime) ?= ?[\'"]http://xml\\.apache\\.org/xalan/java'],
    XSLT_DOC: ['\\bdocument ?\\( ?[\'"](/|file:|https?:|php:|\\.\\./)'],
    XSL: ['<xsl:'],
    // Entity expansion bombs in YAML: anchors multiplied by alias lists ("billion laughs").
    ALIAS_OPEN: ['\\[ ?\\*[a-z]'],
    ALIAS_NEXT: [', ?\\*[a-z]'],
  },
  rules: [
    { id: 'xxe.external', seq: ['ENTITY', 'EXTERNAL'], within: 60, severity: 'high', description: 'external XML entity' },
    { id: 'xxe.parameter', seq: ['PARAM_ENTITY', 'EXTERNAL'], within: 60, severity: 'high', description: 'parameter entity to an external resource' },
    { id: 'xxe.entity', seq: ['DOCTYPE', 'ENTITY'], within: 400, severity: 'medium', description: 'DOCTYPE declaring entities' },
    { id: 'xxe.doctype-system', seq: ['DOCTYPE', 'EXTERNAL', 'URI'], within: 80, severity: 'high', description: 'DOCTYPE with an external DTD' },
    { id: 'xxe.xinclude', seq: ['XINCLUDE'], severity: 'high', description: 'XInclude' },
    { id: 'xxe.entity-any', seq: ['ENTITY'], severity: 'medium', description: 'XML entity declaration' },
    { id: 'xxe.xslt-exec', seq: ['XSLT_EXEC'], severity: 'high', description: 'XSLT calling code (php:function, Xalan runtime)' },
    { id: 'xxe.xslt-document', seq: ['XSL', 'XSLT_DOC'], within: 200, severity: 'high', description: 'XSLT reading a local file or URL with document()' },
    { id: 'xxe.alias-bomb', seq: ['ALIAS_OPEN', 'ALIAS_NEXT', 'ALIAS_NEXT', 'ALIAS_NEXT'], within: 16, severity: 'medium', description: 'YAML alias expansion bomb' },
  ],
};
