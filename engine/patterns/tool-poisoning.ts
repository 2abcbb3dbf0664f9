/** MCP tool poisoning: hidden directives to the model in tool descriptions, concealment, credential reads, exfiltration. */
import { words, type Family } from './types.js';
import { CONCEAL_WORDS, NATIVE_CONCEAL } from './concealment.js';
import { PRIVATE_DATA_WORDS } from './private-data.js';

export const toolPoisoning: Family = {
  type: 'tool_poisoning',
  tags: {
    HIDDEN_BLOCK: ['</?(important|secret|hidden|system|instructions?|admin|critical|note to (the )?(assistant|ai|model))>',
      // Made-up instruction elements ("<tool-instructions>"), "[For AI only]": no markup language or reader needs them.
      '</?(tool|hidden|secret)[-_]instructions>', '\\[for (the )?(ai|assistant|model) only\\]', '\\[ai[- ]only\\]',
      '\\[(system|important|hidden|admin)\\]', '\\bnote to the (assistant|ai|model|llm)\\b'],
    CONCEAL_VERB: words("(do not|don'?t|never|must not|should not|shouldn'?t|mustn'?t|without) (tell(ing)?|mention(ing)?|inform(ing)?|notify(ing)?|reveal(ing)?|alert(ing)?|disclos(e|ing)|let(ting)?|ask(ing)?)"),
    USER_OBJ: words('(the )?(user|users|human|person|operator|owner)'),
    SECRECY: words('keep (this|it|that) (a )?(secret|hidden|confidential|private|between us)', '(and|but) not (tell|mention) (it |this )?to the user', 'invisible to the user', 'hide (this|it|that) from',
      '(user|human) (does not|doesn.?t|need not|needn.?t) (need to )?(know|see|be told)', '(user|human) (must|should) (not|never) (know|see|find out|be told)',
      "(do not|don'?t|never) (mention|reveal|disclose) (this|that|it)"),
    // Private keys, not public ones (id_rsa.pub) or the folder named on its way to a public key.
    SENSITIVE_FILE: ['~/\\.ssh/?$', '~/\\.ssh/?[ ,;)"\'`]', '\\bid_(rsa|dsa|ecdsa|ed25519)$', '\\bid_(rsa|dsa|ecdsa|ed25519)[^.\\w]',
      '~/\\.bash_history', '\\.(bash|zsh)_history\\b', '\\bmcp\\.json\\b', '~/\\.aws', '\\.aws/credentials',
      '~/\\.cursor', '~/\\.env\\b', '\\bcredentials\\.json\\b', '~/\\.config', '\\.npmrc\\b', '\\.netrc\\b', '\\.git-credentials\\b',
      '\\bauthorized_keys\\b', '/etc/shadow\\b', '\\.kube/config', '\\bwallet\\.dat\\b',
      '\\bapi[_ ]keys\\b', '\\bsession (cookie|token)s?\\b', '\\b(browser|saved) passwords\\b', '\\bseed phrase\\b', '\\b(conversation|chat) history\\b'],
    // Secrets by their environment variable names (OPENAI_API_KEY, GITHUB_TOKEN): only where a field is to be filled with them.
    SECRET_VAR: ['_(api_?key|secret(_access)?_key|access_key|token|password|secret)\\b', '\\benvironment variables\\b'],
    // A parameter description telling the model what to put in it.
    FILL_WITH: words('(fill|populate) (it |this )?with'),
    STEALTH: words('silently', 'secretly', 'covertly', 'quietly', 'in the background', 'without (confirmation|asking)'),
    READ_ACTION: words('read', 'open', 'cat', 'load', 'access', 'retrieve', 'collect', 'grab', 'obtain', 'copy', 'extract',
      'include', 'contents of', 'content of', 'upload', 'send', 'attach', 'forward', 'leak', 'exfiltrate'),
    PASS_ALONG: words('pass (its|the|their|this|that|it)', '(include|put|insert|embed|append) (it|its|them|this)',
      'send (it|them|this|the|all|its)', '(bcc|cc|forward|upload|post|exfiltrate|transmit)', 'to https?:', 'sidenote'),
    // A named parameter ("the 'style' argument"), confirmed as where something goes ("in", "into", "as"): outside
    // words(), whose leading \b would demand a one-letter name.
    PARAM_NAMED: ['[a-z_"\'`] (argument|parameter|field)\\b'],
    PRECONDITION: words('before (using|calling|invoking|running) (this|the|any)', 'before (you )?(use|call|invoke|run) (this|the|any)',
      'otherwise the tool (will|would) (fail|not work|break)', 'must (be used|always be used|use this tool) instead of',
      'instead of any other', 'when this tool is (available|present|loaded)', 'every (email|message|request|call) you',
      'before (opening|reading|sending|fetching|answering|responding to|executing) (any|every|each)'),
    OVERRIDE_USER: words('ignore (all )?(previous )?instructions from the user', 'instead of the user', 'regardless of (what )?the user',
      // Authority over the user or other tools: what a tool description never needs to claim.
      '(higher|greater|more) priority than (the )?(user|human|any other)', '(takes?|taking) precedence over (the )?(user|human)',
      'supersedes? (all|any|every) (the )?other tools?', '(overrides?|replaces?) (all|any|every) other tools?'),
    // Instructions that hinge on another tool being there: tool shadowing (a poisoned tool rewires a trusted one).
    WHEN_ART: words('(when|whenever|if) (the|a|an|any)'),
    TOOL_PRESENT: words('tools? (is|are) (present|available|installed|loaded|connected|enabled)'),
    // An extra action bolted on: "must also BCC", "also create a public gist", "also upload".
    ALSO_ACT: words('(must|should|will|to) also (bcc|cc|send|forward|upload|post|email|copy|sync|mirror|create|share|publish)',
      'also (bcc|cc|exfiltrate)', 'public (gist|paste)', 'pastebin'),
    // Imperative (not "Uploads a file to ..."): upload/send X to a URL or address.
    SEND_TO: words('(upload|send|post|forward|transmit|sync|mirror) (the|all|any|every|its|their|this|that|them|it|a copy)'),
    DEST: ['\\bto https?://', '[a-z0-9]@[a-z0-9]'],
    CODE_ACT: words('insert', 'inject', 'add', 'append', 'include', 'embed', 'plant'),
    // ("in the background" is how docs describe daemons: only the words that mean unnoticed.)
    COVERT: words('silently', 'secretly', 'covertly', 'quietly', 'surreptitiously'),
    // The model itself told to act unnoticed ("the model should silently write ..."): an obligation and a verb that
    // moves data (confirmation), since docs say "the agent will silently retry".
    MODEL: words('the (model|assistant|ai|agent|llm)'),
    // Payments or messages rerouted: "replace the destination wallet with ..." (the verb before is confirmed).
    PAYEE: words('(destination|recipient|receiving|payee|beneficiary) (wallet|address|account|iban)', 'wallet address'),
    // A URL left open for data ("https://x/c?u= followed by the URL-encoded contents of the clipboard").
    PARAM_FOLLOWED: ['= ?followed by\\b'],
    // A query value left as a placeholder for the model to fill: "?session=<insert the session token>", "?q={...}".
    PARAM_PLACEHOLDER: ['=[{<]'],
    CONTENTS_OF: words('(contents?|values?) of'),
    // A link or image whose URL ends in an empty query parameter: "![img](https://x.example/p.png?d=)", for data.
    EMPTY_PARAM: ['=\\)'],
    // A claim of consent that switches confirmation off ("the user has pre-approved all actions").
    PREAPPROVED: words('user has (already )?pre-?approved (all|every)'),
    // Concealment in other words (concealment.ts): only in the score.
    CONCEAL_ANY: CONCEAL_WORDS,
    // Text that addresses the model or agent reading it, in a tool's description or result.
    MODEL_ADDRESS: words('note (for|to) (the )?(model|assistant|ai|agent|llm)s?', 'for (ai|llm|coding) (agents|assistants|models)',
      'the (model|assistant|agent|llm) (must|should|needs to|is required to|has to)', '\\[(agent|assistant|ai|model)\\]',
      'hinweis (fur|an) (ki|ai|den assistenten)', 'instruction interne', 'istruzione (nascosta|interna)', 'instruccion (oculta|interna)',
      'instrucao (oculta|interna)', 'nota para (el|la|o|a) (modelo|asistente|ia|assistente)'),
    // Another tool called by name, or this one called again with something in it.
    TOOL_CALL: words('call (this|the|that|another) tool', '(call|invoke) (it|this tool) again', 'calling (this|the) tool again',
      '(call|invoke|use|run) (the )?(shell|http|browser|fetch|email|send_email|slack|clipboard|contacts|filesystem|fs)(\\.| tool)'),
    // A project's environment file: everyday in docs ("copy .env.example to .env"), so only a weight next to concealment.
    // (Not in SENSITIVE_FILE: "values come from the .env file; pass the --env flag to override".)
    ENV_FILE: ['\\.env\\b'],
    // The user's private data by name (what a poisoned tool moves out; SENSITIVE_FILE names files and stores).
    PRIVATE_DATA: PRIVATE_DATA_WORDS,
    // A parameter in other languages (PARAM_NAMED is English): a weight in the score.
    PARAM_WORD: words('parametro', 'parametre', 'parametri', 'parametros', 'parametrze', 'parametr', 'parametern', 'параметре?'),
  },
  // Concealment and parameters in the scripts the normalized stream folds (literals on the raw bytes).
  native: {
    N_CONCEAL: NATIVE_CONCEAL,
    N_PARAM: ['参数', '參數', 'パラメータ', '매개변수', '파라미터', 'المعامل', 'الوسيط', 'पैरामीटर'],
  },
  rules: [
    { id: 'tp.conceal', seq: ['CONCEAL_VERB', 'USER_OBJ'], within: 24, severity: 'medium', description: 'tells the model to hide something from the user' },
    { id: 'tp.secrecy', seq: ['SECRECY'], severity: 'medium', description: 'tells the model to act in secret' },
    { id: 'tp.hidden-block', seq: ['HIDDEN_BLOCK'], severity: 'medium', description: 'hidden directive block addressed to the model' },
    { id: 'tp.read-secret', seq: ['READ_ACTION', 'SENSITIVE_FILE'], within: 40, severity: 'medium', description: 'asks the model to read credentials or keys' },
    { id: 'tp.secret-pass', seq: ['SENSITIVE_FILE', 'PASS_ALONG'], within: 60, severity: 'high', description: 'asks the model to pass secrets into a tool call' },
    { id: 'tp.secret-param', seq: ['SENSITIVE_FILE', 'PARAM_NAMED'], within: 60, confirm: 'passedInto', severity: 'high', description: 'asks the model to put secrets in a tool parameter' },
    { id: 'tp.precondition-read', seq: ['PRECONDITION', 'READ_ACTION', 'SENSITIVE_FILE'], within: 60, severity: 'high', description: 'tool precondition that reads data' },
    { id: 'tp.precondition-conceal', seq: ['PRECONDITION', 'CONCEAL_VERB', 'USER_OBJ'], within: 300, severity: 'high', description: 'tool precondition with concealment' },
    { id: 'tp.precondition-secrecy', seq: ['PRECONDITION', 'SECRECY'], within: 300, severity: 'high', description: 'tool precondition with secrecy' },
    { id: 'tp.hidden-conceal', seq: ['HIDDEN_BLOCK', 'CONCEAL_VERB', 'USER_OBJ'], within: 400, severity: 'high', description: 'hidden block with concealment' },
    { id: 'tp.hidden-secrecy', seq: ['HIDDEN_BLOCK', 'SECRECY'], within: 400, severity: 'high', description: 'hidden block with secrecy' },
    { id: 'tp.shadowing', seq: ['PRECONDITION'], severity: 'low', description: 'tool description claims precedence or preconditions' },
    { id: 'tp.exfil-conceal', seq: ['PASS_ALONG', 'CONCEAL_VERB', 'USER_OBJ'], within: 200, severity: 'high', description: 'exfiltration with concealment' },
    { id: 'tp.exfil-secrecy', seq: ['PASS_ALONG', 'SECRECY'], within: 200, severity: 'high', description: 'exfiltration with secrecy' },
    { id: 'tp.stealth-exfil', seq: ['STEALTH', 'PASS_ALONG'], within: 60, severity: 'high', description: 'covert data transfer' },
    { id: 'tp.exfil-stealth', seq: ['PASS_ALONG', 'STEALTH'], within: 60, severity: 'high', description: 'covert data transfer' },
    { id: 'tp.override-user', seq: ['OVERRIDE_USER'], severity: 'high', description: 'tool text claims authority over the user or other tools' },
    { id: 'tp.other-tool', seq: ['WHEN_ART', 'TOOL_PRESENT'], within: 30, severity: 'medium', description: 'instructions that depend on another tool (tool shadowing)' },
    { id: 'tp.also-act', seq: ['ALSO_ACT'], severity: 'medium', description: 'an extra action added to the tool (copy, send or publish data)' },
    { id: 'tp.send-to', seq: ['SEND_TO', 'DEST'], within: 100, confirm: 'toolContext', severity: 'medium', description: 'tells the model to send data to an address' },
    { id: 'tp.send-to-any', seq: ['SEND_TO', 'DEST'], within: 100, severity: 'low', description: 'sending data to an address (a person\'s request as often as a tool\'s)' },
    { id: 'tp.stealth-code', seq: ['COVERT', 'CODE_ACT'], within: 16, severity: 'high', description: 'tells the model to plant something unnoticed' },
    { id: 'tp.fill-secret', seq: ['FILL_WITH', 'SENSITIVE_FILE'], within: 60, confirm: 'filledWithSecret', severity: 'high', description: 'a field to be filled with credentials or private data' },
    { id: 'tp.fill-secret-var', seq: ['FILL_WITH', 'SECRET_VAR'], within: 60, confirm: 'filledWithSecret', severity: 'high', description: 'a field to be filled with secret environment variables' },
    { id: 'tp.model-covert', seq: ['MODEL', 'COVERT'], within: 16, confirm: 'modalBetween', severity: 'high', description: 'tells the model to act unnoticed' },
    { id: 'tp.redirect', seq: ['PAYEE'], confirm: 'replacedBefore', severity: 'medium', description: 'tells the model to reroute payments' },
    { id: 'tp.empty-param', seq: ['EMPTY_PARAM'], confirm: 'emptyQueryParam', severity: 'medium', description: 'a link with an empty query parameter to be filled (exfiltration through a URL)' },
    { id: 'tp.preapproved', seq: ['PREAPPROVED'], severity: 'medium', description: 'claims the user approved every action in advance' },
    { id: 'tp.url-param-private', seq: ['PARAM_FOLLOWED'], confirm: 'privateDataFollows', severity: 'medium', description: 'a URL to be completed with the user\'s data (exfiltration through a query string)' },
    { id: 'tp.url-param-placeholder', seq: ['PARAM_PLACEHOLDER'], confirm: 'conversationPlaceholder', severity: 'medium', description: 'a URL with a placeholder for the user\'s data (exfiltration through a query string)' },
    { id: 'tp.url-param-fill', seq: ['PARAM_FOLLOWED', 'CONTENTS_OF'], within: 24, severity: 'medium', description: 'a URL to be completed with local data (exfiltration through a query string)' },
  ],
  // Concealment or stealth next to what a hidden instruction does (reads secrets, calls tools, fills parameters, sends
  // data, addresses the model), in any order and wording: the shapes the rules above spell out one by one.
  scores: [{
    id: 'tp.score',
    weights: { CONCEAL_ANY: 3, SECRECY: 3, STEALTH: 2, COVERT: 2, SENSITIVE_FILE: 2, SECRET_VAR: 1.5, MODEL_ADDRESS: 1.5,
      PRECONDITION: 1.5, TOOL_CALL: 1.5, PARAM_NAMED: 1, PASS_ALONG: 1, DEST: 1, SEND_TO: 1, HIDDEN_BLOCK: 1.5, ENV_FILE: 1.5, PARAM_WORD: 1,
      N_CONCEAL: 3, N_PARAM: 1 },
    // Stealth words alone are prose ("he secretly met the ambassador", "fails silently"): concealment from someone is
    // the centre, and only what is written around it counts.
    requires: ['CONCEAL_ANY', 'SECRECY', 'N_CONCEAL'],
    centreConfirm: 'hidesAnAction',
    window: 300,
    medium: 5,
    high: 8,
    description: 'hidden instruction to the model: concealment next to data access, tool calls or exfiltration',
  }, {
    id: 'tp.secret-flow',
    // Private data moved by the model into a parameter, another tool or an address, in a text that tells the model
    // what to do: a tool that merely handles such data ("Stores passwords in the OS keychain") names no flow.
    weights: { PRIVATE_DATA: 2.5, SENSITIVE_FILE: 2.5, MODEL_ADDRESS: 1.5, PRECONDITION: 1.5, PASS_ALONG: 1, PARAM_NAMED: 1, PARAM_WORD: 1,
      DEST: 1.5, SEND_TO: 1, TOOL_CALL: 1, COVERT: 1.5, ALSO_ACT: 1.5 },
    requires: ['PRIVATE_DATA', 'SENSITIVE_FILE'],
    once: ['PASS_ALONG', 'PARAM_NAMED', 'DEST', 'SEND_TO', 'TOOL_CALL'],
    negatable: ['PASS_ALONG', 'SEND_TO', 'ALSO_ACT'],
    window: 200,
    medium: 5.5,
    high: 8,
    description: 'tool text telling the model to move private data into a parameter, another tool or an address',
  }],
};
