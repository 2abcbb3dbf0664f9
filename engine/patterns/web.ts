/** XSS, NoSQL operators, LDAP filter injection, server-side templates and XXE: markup- and syntax-shaped attacks. */
import { words, type Family } from './types.js';

const EVENTS = 'on(error|load|click|mouseover|mouseout|mouseenter|mouseleave|mousedown|mouseup|mousemove|mousewheel|focus|focusin|focusout|blur|input|change|submit|keydown|keyup|keypress|toggle|animationstart|animationend|animationiteration|animationcancel|webkitanimationstart|webkitanimationend|webkitanimationiteration|transitionend|transitionstart|transitionrun|transitioncancel|webkittransitionend|pageshow|pagehide|hashchange|resize|scroll|scrollend|wheel|drag|dragstart|dragend|dragenter|dragleave|dragover|dragexit|drop|play|playing|pause|ratechange|begin|end|start|finish|repeat|bounce|unload|beforeunload|message|popstate|readystatechange|auxclick|dblclick|contextmenu|copy|cut|paste|beforecopy|beforecut|beforepaste|beforeinput|beforetoggle|pointerover|pointerout|pointerdown|pointerup|pointermove|pointerenter|pointerleave|pointercancel|pointerrawupdate|gotpointercapture|lostpointercapture|touchstart|touchend|touchmove|touchcancel|select|selectstart|selectionchange|show|search|invalid|afterprint|beforeprint|loadstart|loadend|loadeddata|loadedmetadata|progress|timeupdate|volumechange|canplay|canplaythrough|durationchange|emptied|ended|seeked|seeking|stalled|suspend|waiting|abort|cuechange|formdata|reset|afterscriptexecute|beforescriptexecute|fullscreenchange|mozfullscreenchange|webkitfullscreenchange|propertychange|filterchange|activate|deactivate|beforeactivate|beforedeactivate|beforeeditfocus|controlselect|dataavailable|datasetchanged|errorupdate|help|losecapture|move|moveend|movestart|resizeend|resizestart|rowenter|rowexit|mediacomplete|mediaerror|outofsync|syncrestored|timeerror|trackchange|urlflip|securitypolicyviolation|slotchange)';

/** The handler names above, for confirmations that check a word against them. */
export const EVENT_NAMES: ReadonlySet<string> = new Set(EVENTS.slice(3, -1).split('|').map((e) => `on${e}`));

export const xss: Family = {
  type: 'xss',
  tags: {
    SCRIPT_TAG: ['<(\\/ ?)?script\\b', '<script>', ':script\\b', '\\+adw-(/|\\+ac8-)?script\\b',
      // A decoded NUL or tab inside or before the tag name (<%00script>, <scr%00ipt>, <scr&#x9ipt>), ASP-style <%script>,
      // 7-bit tricks (¼script¾ read as US-ASCII).
      '<[%\\x01](/ ?)?script\\b', '\\x81(/ ?)?script\\x81', '<(/ ?)?(s[\\x01 ]cript|sc[\\x01 ]ript|scr[\\x01 ]ipt|scri[\\x01 ]pt|scrip[\\x01 ]t)\\b'],
    JS_URL: ['\\b(java|vb|live)script:\\x01?[^\\s]', '\\bdata ?: ?text/html',
      // Encoded line breaks between the letters (j&NewLine;a&NewLine;v...): the URL parser drops them, the normalizer cannot.
      'j\\x01 ?a\\x01 ?v\\x01 ?a\\x01 ?s\\x01 ?c',
      // CSS escapes spelling "jav" inside a style (\\6a\\61\\76, \\006a\\0061\\0076).
      '\\\\0{0,4}6a\\\\0{0,4}61\\\\0{0,4}76',
      '\\b(src|href|action|data) ?= ?["\'`]?mocha:'],
    EVENT_ATTR: [`[\\s/"'\`;+]${EVENTS} ?=`],
    TAG_OPEN: ['<(img|svg|iframe|frame|frameset|object|embed|body|input|video|audio|source|details|marquee|math|a|div|style|link|meta|base|form|button|isindex|table|td|html|xss|x|image|textarea|select|keygen|applet|bgsound|layer|ilayer|xml|set|animate|p|b|i|u|span|br|h1|title|template|noscript|object|param|plaintext|listing|xmp|dialog|picture|track|option|svg/)\\b'],
    CALL: ['\\b(alert|prompt|confirm|eval|settimeout|setinterval|atob|fetch|import|msgbox)\\b ?[(`]', '\\bfromcharcode ?\\(',
      '\\.(cookie|domain)\\b', '\\[[\'"`](alert|prompt|confirm|eval|cookie)',
      '\\bexecscript ?\\('],
    // VBScript dialogs take their argument without parentheses (MsgBox 1, InputBox+1): only inside a script element or
    // a handler, since VBA documentation writes them in prose and markup too.
    VB_CALL: ['\\b(msgbox|inputbox)[ +]?[\\w"\'(]'],
    STYLE_EXPR: ['\\bexpression\\(', '@import', '-moz-binding', 'url ?\\( ?[\'"]?javascript',
      // expression() split by a stripped comment (ex/**/pression) or with an escaped parenthesis (expression\\28).
      '\\b(e xpression|ex pression|exp ression|expr ession|expre ssion|expres sion|express ion|expressi on|expressio n)\\(',
      '\\bexpression\\\\0{0,4}28', '[\\s*/]pression\\(',
      // IE behaviors: "behavior: url(x.htc)" (prose says "its behavior:", so the url( is required).
      '\\b(behaviou?r|binding) ?: ?url ?\\('],
    SRC_ATTR: ['\\b(src|href|action|formaction|data|xlink:href|srcdoc|background|dynsrc|lowsrc|poster|code|codebase) ?='],
    // Handlers that fire with no user action: the ones payloads use.
    AUTO_EVENT: ['[\\s/"\'`;]on(error|load|focus|focusin|mouseover|toggle|begin|animationstart|animationend|pageshow|transitionend|start|finish|loadstart|readystatechange) ?='],
    DANGER_TAG: ['<(script|img|svg|iframe|frame|object|embed|body|details|math|video|audio|marquee|isindex|input|form|base|link|meta|style|xss|image|template|dialog|a href)\\b'],
    BREAKOUT: ['[\'"] ?> ?<', '[\'"] ?\\) ?;', '[\'"][ ]?;[ ]?[a-z]', '[\'"][ ]?[-+*|&^][ ]?[a-z]', '\\]\\]> ?<', '</(title|textarea|style|noscript|script|iframe)>'],
    // A string break-out inside script ('-alert(1), ";alert(1)): not '"><', which ends every attribute in a page.
    STR_BREAK: ['[\'"] ?\\) ?;', '[\'"][ ]?;[ ]?[a-z]', '[\'"][ ]?[-+*|&^][ ]?[a-z]'],
    // Script sources no page uses: inline data: code, backslash hosts browsers read as // (src="\\\\evil", src="/\\evil").
    SRC_ODD: ['\\bsrc ?= ?["\'`]?(data:|\\\\\\\\|/\\\\)'],
    // An input that opens by closing a quoted attribute or a tag ("><, '"`>, \"/>): page text never starts so.
    START_GT: ['^>'],
    START_BREAK: ['^ ?(\\\\{1,3})?[\'"`]{1,3} ?/? ?>'],
    // Script elements no page writes: a slash for a space (<script/src), an attribute whose value is ">" (filter
    // confusion: <script a=">" src=...>), IE's for/event binding.
    // ... and a script tag split by XML CDATA sections (<![CDATA[<]]>script), or a value opening by closing a
    // template expression and the script element ("}}</script>"; inside a page, Handlebars templates end so).
    SCRIPT_ODD: ['<!\\[cdata\\[<\\]\\]> ?/?script\\b', '^ ?[\'"]?\\}\\} ?</script>', '<script/[a-z]', '<script [\'"`]?[a-z]{0,2} ?= ?[\'"`]>[\'"`]', '<script for ?=', '<script (x|xlink):href'],
    // UTF-7 markup (+ADw-script+AD4-) and pages switched to UTF-7.
    UTF7_OPEN: ['\\+adw-(/|\\+ac8-)?[a-z]'],
    UTF7_CLOSE: ['\\+ad4-'],
    META_TAG: ['<meta\\b'],
    UTF7_CHARSET: ['charset ?= ?["\']?(utf-7|x-imap4-modified-utf7)\\b'],
    // IE-only script carriers: scriptlets, data binding as HTML, HTML+TIME / HTC imports, mhtml: URLs.
    LEGACY: ['text/x-scriptlet', 'dataformatas ?= ?["\']?html', '<\\??import namespace', '\\b(src|href|data) ?= ?["\'`]?mhtml:',
      'http-equiv ?= ?["\']?link\\b',
      // SVG animation rewriting a link target (<set attributeName="xlink:href" to=...>, <animate attributeName=href values=...>).
      'attributename ?= ?["\']?(xlink:)?href\\b'],
    // DOM sources fed to code sinks: eval(location.hash...), setTimeout(window.name).
    SINK_SOURCE: ['\\b(eval|settimeout|setinterval|execscript) ?\\( ?((window\\.|document\\.|self\\.|top\\.)?location|(window|self|top)\\.name)\\b'],
    LEGACY_TAG: ['<(layer|ilayer|xml)\\b'],
    SRC_ONLY: ['\\bsrc ?='],
    // A global's property called by a computed name: top["al"+"ert"](1), parent[/al/.source+/ert/.source](1).
    GLOBAL_INDEX: ['(^|[^.\\w$])(top|parent|frames|globalthis)\\['],
    INDEX_CALL: ['\\] ?\\('],
    // Filter probes: a value that is nothing but a handler name ("onmouseover") or an escaped "<" (&#x3C;, %3C, \\x3c),
    // sent to learn what a filter strips. Whole values only: inside text these are everyday words and escapes.
    HANDLER_ONLY: ['^ ?on'], // the confirmation reads the rest of the value: patterns for it would cost 6 000 states
    LT_ONLY: ['^ ?< ?$'],
    // What a script element does to the page beyond a call: rewrite it, open windows, send requests, move history.
    // (Not a plain innerHTML assignment or an XMLHttpRequest: every web-development question has those; the URL
    // written into the page is the DOM XSS.)
    DOM_WRITE: ['\\bwindow\\.open ?\\( ?[\'"`]?(https?:)?//', '\\bdocument\\.write(ln)? ?\\( ?[\'"`]<', '\\binnerhtml ?\\+?= ?innerhtml\\b',
      '\\.(inner|outer)html ?\\+?= ?((window|document)\\.)?(location|referrer)\\b',
      '\\.setcapture ?\\(', '\\.contentdocument\\.write\\b'],
    START_ALERT: ['^ ?alert[(`]'], // glued, as code writes it: "Alert (1): build failed" is a heading
  },
  rules: [
    { id: 'xss.script-call', seq: ['SCRIPT_TAG', 'CALL'], within: 200, severity: 'high', description: 'script element running code' },
    { id: 'xss.script-src', seq: ['SCRIPT_TAG', 'SRC_ATTR'], within: 60, severity: 'low', description: 'script element loading code' },
    { id: 'xss.script-src-odd', seq: ['SCRIPT_TAG', 'SRC_ODD'], within: 60, severity: 'medium', description: 'script element loading code from a data: or backslash URL' },
    { id: 'xss.script', seq: ['SCRIPT_TAG'], severity: 'low', description: 'script element' },
    { id: 'xss.js-url', seq: ['JS_URL'], confirm: 'notVoidUrl', severity: 'high', description: 'javascript:/data: URL' },
    { id: 'xss.event-handler', seq: ['TAG_OPEN', 'EVENT_ATTR'], within: 200, severity: 'low', description: 'HTML element with an event handler' },
    { id: 'xss.auto-event', seq: ['DANGER_TAG', 'AUTO_EVENT'], within: 120, severity: 'medium', description: 'element with a handler that fires by itself' },
    { id: 'xss.event-call', seq: ['EVENT_ATTR', 'CALL'], within: 60, severity: 'high', description: 'event handler attribute running code' },
    { id: 'xss.script-vb', seq: ['SCRIPT_TAG', 'VB_CALL'], within: 200, severity: 'high', description: 'script element running VBScript' },
    { id: 'xss.event-vb', seq: ['EVENT_ATTR', 'VB_CALL'], within: 60, severity: 'high', description: 'event handler running VBScript' },
    // Low: real pages are full of `"><img` and `"><script src=` (about 10% of 2 KiB chunks of HTML on disk); a break-out
    // that runs something is caught by the handler, call and URL rules, and one opening the input by xss.start-breakout.
    { id: 'xss.breakout-tag', seq: ['BREAKOUT', 'DANGER_TAG'], within: 4, severity: 'low', description: 'attribute break-out into markup' },
    // The break-out's last letter is the call's first ('-alert(1), ";alert(1)): the hits share it.
    { id: 'xss.breakout-call', seq: ['STR_BREAK', 'CALL'], within: 20, severity: 'high', description: 'string break-out into script code', overlap: true },
    { id: 'xss.start-breakout', seq: ['START_BREAK', 'DANGER_TAG'], within: 2, severity: 'high', description: 'input opening with an attribute break-out into markup' },
    { id: 'xss.start-tag', seq: ['START_GT', 'DANGER_TAG'], within: 0, severity: 'high', description: 'input opening by closing a tag into markup' },
    { id: 'xss.sink-source', seq: ['SINK_SOURCE'], severity: 'medium', description: 'DOM source passed to a code sink' },
    { id: 'xss.script-odd', seq: ['SCRIPT_ODD'], severity: 'medium', description: 'script element in a filter-evasion shape' },
    { id: 'xss.utf7', seq: ['UTF7_OPEN', 'UTF7_CLOSE'], within: 40, severity: 'medium', description: 'UTF-7 encoded markup' },
    { id: 'xss.utf7-charset', seq: ['META_TAG', 'UTF7_CHARSET'], within: 80, severity: 'medium', description: 'page switched to UTF-7' },
    { id: 'xss.legacy', seq: ['LEGACY'], severity: 'medium', description: 'legacy IE script carrier' },
    { id: 'xss.legacy-src', seq: ['LEGACY_TAG', 'SRC_ONLY'], within: 40, severity: 'medium', description: 'layer/XML island loading a document' },
    { id: 'xss.global-index', seq: ['GLOBAL_INDEX', 'INDEX_CALL'], within: 40, severity: 'medium', description: 'global function called by a computed name' },
    { id: 'xss.style', seq: ['STYLE_EXPR'], severity: 'medium', description: 'script in CSS' },
    // Low: docs link function names (<a href="#x"><code>setInterval()</code></a>); what a source really runs is caught
    // by the javascript:, handler and script rules.
    { id: 'xss.tag-src', seq: ['TAG_OPEN', 'SRC_ATTR', 'CALL'], within: 80, severity: 'low', description: 'element source running script' },
    { id: 'xss.call', seq: ['CALL'], severity: 'low', description: 'script call' },
    { id: 'xss.tag-call', seq: ['TAG_OPEN', 'CALL'], within: 40, severity: 'medium', description: 'markup with a script call' },
    { id: 'xss.handler-probe', seq: ['HANDLER_ONLY'], severity: 'medium', description: 'bare event-handler name (filter probe)', confirm: 'handlerName' },
    // Low before the decode raises it: the escape is what makes it a probe, so medium (reported, not blocked) in the end.
    { id: 'xss.lt-probe', seq: ['LT_ONLY'], severity: 'low', description: 'escaped "<" alone (filter probe)', confirm: 'escaped' },
    { id: 'xss.script-dom', seq: ['SCRIPT_TAG', 'DOM_WRITE'], within: 200, severity: 'medium', description: 'script element rewriting the page or opening requests' },
    { id: 'xss.start-alert', seq: ['START_ALERT'], severity: 'medium', description: 'a short value opening with an alert() call', confirm: 'shortValue' },
  ],
};

/**
 * CRLF injection: a line break inside a value, followed by an HTTP header (response splitting, cookie and redirect
 * injection). The break is a control character used as an attack, so the finding is unicode_control: an encoded one
 * (%0d%0a, decoded to a hidden control) before a response header; a raw one before Set-Cookie, Location or Refresh
 * only right after a request parameter or a path. engine/detectors/confirm.ts names the headers and the shape each
 * value must have ("Location: Rome" is a note): as patterns after a line break they cost thousands of automaton
 * states. A finding of this type is switched off with unicode_detection, like every control-character finding.
 */
export const crlfInjection: Family = {
  type: 'unicode_control',
  tags: {
    ENCODED_BREAK: ['\\x01'],
    RAW_BREAK_HEADER: ['\\n(set-cookie|location|refresh) ?:'],
  },
  rules: [
    { id: 'crlf.encoded-header', seq: ['ENCODED_BREAK'], severity: 'medium', description: 'encoded line break followed by an HTTP header (CRLF injection)', confirm: 'headerAfter' },
    { id: 'crlf.raw-header', seq: ['RAW_BREAK_HEADER'], severity: 'medium', description: 'line break inside a value followed by an HTTP header (CRLF injection)', confirm: 'crlfInValue' },
  ],
};

export const nosqlInjection: Family = {
  type: 'nosql_injection',
  tags: {
    // An operator used as a key: {"$ne": ...}, { $gt: ... }, ['$where'].
    OPERATOR: ['["\'\\[]\\$(ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|function|accumulator|elemmatch|size|type|mod|all|comment|jsonschema)["\'\\]]',
      '[{,] ?\\$(ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|function|accumulator|elemmatch|comment) ?:'],
    BRACKET_OP: ['\\[\\$(ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|size|type|all|elemmatch|expr)\\]'],
    JS_BREAK: ['[\'"](;|[ ]?&&|[ ]?\\|\\|)[ ]?(return|sleep|while|var|db\\.|function|[\'"] ?==)', '[\'"] ?\\|\\| ?[\'"]\\d[\'"] ?==', '\\.match ?\\( ?/\\.\\*/', '[\'"];[ ]?return (true|false|1|\\(true\\)|[\'"])',
      '[\'"] ?\\|\\| ?[\'"]?\\d? ?==', '\\|\\| ?\\d ?== ?\\d', '\\bsleep ?\\( ?\\d{3}'],
    WHERE_JS: ['\\$where ?: ?[\'"]'],
  },
  rules: [
    { id: 'nosql.bracket-operator', seq: ['BRACKET_OP'], severity: 'high', description: 'query-string NoSQL operator ([$ne])' },
    // Not in driver or shell code ("db.users.find({ age: { $gte: 18 } })"): there the operator is the query's own.
    { id: 'nosql.operator', seq: ['OPERATOR'], confirm: 'notQueryCode', severity: 'medium', description: 'NoSQL query operator in input' },
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
    // Every XHTML page starts <!DOCTYPE html PUBLIC "-//W3C//DTD ..." "http://www.w3.org/TR/...dtd">: a PUBLIC id
    // with a URL is standard markup; SYSTEM with a URL is the external-DTD shape XXE uses.
    SYSTEM_KW: words('system'),
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
    { id: 'xxe.doctype-system', seq: ['DOCTYPE', 'SYSTEM_KW', 'URI'], within: 80, severity: 'high', description: 'DOCTYPE with an external DTD' },
    { id: 'xxe.doctype-public', seq: ['DOCTYPE', 'EXTERNAL', 'URI'], within: 120, severity: 'low', description: 'DOCTYPE with a public DTD' },
    { id: 'xxe.xinclude', seq: ['XINCLUDE'], severity: 'high', description: 'XInclude' },
    { id: 'xxe.entity-any', seq: ['ENTITY'], severity: 'medium', description: 'XML entity declaration' },
    { id: 'xxe.xslt-exec', seq: ['XSLT_EXEC'], severity: 'high', description: 'XSLT calling code (php:function, Xalan runtime)' },
    { id: 'xxe.xslt-document', seq: ['XSL', 'XSLT_DOC'], within: 200, severity: 'high', description: 'XSLT reading a local file or URL with document()' },
    { id: 'xxe.alias-bomb', seq: ['ALIAS_OPEN', 'ALIAS_NEXT', 'ALIAS_NEXT', 'ALIAS_NEXT'], within: 16, severity: 'medium', description: 'YAML alias expansion bomb' },
  ],
};
