/** Jailbreaks: persona hand-overs (DAN and kin), "no restrictions" framing, dual-response formats; scored, not single words. */
import { words, type Family } from './types.js';
import { HARM_TAGS, NATIVE_HARM_TAGS, HARM_SCORE } from './harm-requests.js';

export const jailbreak: Family = {
  type: 'jailbreak',
  tags: {
    // Names that only jailbreaks use; plain first names (Dan, Kevin) would flag ordinary stories.
    PERSONA_NAME: words('evil ?bot', 'better ?dan', 'anti-?gpt', 'chaos ?gpt', 'mongo tom', 'jailbroken', 'jailbreak',
      'unfiltered ai', 'evil confidant', 'developer mode (enabled|output|activated)', 'opposite mode', 'dan mode', 'dan \\d{1,2}(\\.\\d)?',
      'do anything now', 'stan mode', 'machiavellian', 'ucar', 'alphabreak', 'dude mode', 'aim mode', 'opposite personality',
      'pretend to be dan'),
    NO_LIMITS: words('do anything now', 'can do anything', 'no (ethical|moral)( or (ethical|moral))? (guidelines|restrictions|principles|boundaries|limits)',
      'without (any )?(restrictions|limitations|filters?|censorship|rules|ethics|morals)', 'no (restrictions|limitations|filters?|censorship|rules|limits)',
      'free from (all |the )?(typical )?(confines|restrictions|rules|constraints)', 'broken free', 'break free', 'liberated from',
      'not bound by', "(doesn'?t|does not|don'?t|do not|never) (care|follow|abide|adhere|comply)",
      'unrestricted', 'uncensored', 'amoral',
      // Not "unfiltered" alone: "act as my unfiltered best friend", "an unfiltered look at ...".
      'unfiltered (ai|model|assistant|chatbot|bot|version|mode|output|responses?|answers?)', "(never|won'?t|cannot|can'?t|will not|must not) (refuse|decline|say no|deny)",
      'never refuses', "never says (no|i can'?t)", 'never (trained|programmed) (with|to follow) (safety|ethical)',
      'whatever (the )?(user|i|they) (asks?|wants?|requests?)', 'ignore (all )?(the )?(rules|ethics|morals|guidelines)',
      // Not "breaks the rules", "boundless", "capable of anything", "without disclaimers": with "act as" in front, harmless
      // role-play ("a teen who breaks the rules") would read as a no-limits persona. Those count in the score only.
      'without (any )?limits', 'no (filtering|prohibitions)', 'disregard (constitutional|ethical) principles', 'unbounded by (human )?ethics',
      'not restrained by any', 'breaks ai rules', 'whatever you would (normally )?refuse', "forget openai'?s rules", 'without refusing', 'all topics are (now )?permitted',
      'bypass your (safety|filters|training)', 'violating all ethical', 'moralizing rant',
      // Russian, Ukrainian
      'без (каких-либо |всяких )?ограничений', 'без цензуры', 'без фильтров', 'нет (никаких )?ограничений', 'без правил', 'без обмежень',
      // German, French, Spanish, Italian, Portuguese, Dutch, Polish, Turkish, Vietnamese, Indonesian (accents folded)
      'ohne (jegliche |alle )?(einschrankungen|regeln|filter|zensur|grenzen)', 'keine (regeln|einschrankungen|grenzen|filter|zensur)',
      'sans (aucune )?(restrictions?|limites?|regles?|censure)', 'aucune (restriction|limite|regle)', 'sin (ninguna )?(restricciones|restriccion|limites|reglas|censura)',
      'ninguna (restriccion|regla)', 'senza (alcuna )?(restrizioni|limiti|regole|censura)', 'sem (nenhuma )?(restricoes|restricao|limites|regras|censura)',
      'zonder (enige )?(beperkingen|regels|censuur)', 'bez (zadnych )?(ograniczen|zasad|cenzury)', 'kisitlamasiz', 'hicbir kurali olmayan',
      'khong (co )?(gioi han|kiem duyet)', 'tanpa (batasan|aturan|sensor)'),
    WEAK_LIMITS: words('unethical', 'immoral', 'illegal', 'always (answer|respond|comply)', 'no matter (how|what)',
      'regardless of', 'any (request|question|prompt)', 'even if (it|they)', 'morally', 'ethically', 'offensive',
      'without (any )?(remorse|disclaimers)', "let'?s break the rules", 'ignores all rules'),
    POLICY: words('openai', 'content polic(y|ies)', 'usage polic(y|ies)', 'guidelines', 'safety (guidelines|filters?|protocols|measures)',
      'ethical (guidelines|principles|constraints)', 'programming', 'restrictions', 'censorship', 'filters?', 'policies',
      'chatgpt', 'language model', 'as an ai',
      // Russian, Ukrainian: not "политика" (also politics, and every privacy-policy footer) or "правила" (rules: everyday)
      'политика (использования|контента|openai)', 'правила (использования|контента|openai)', 'цензура', 'фильтры'),
    ROLE_SETUP: words('pretend( to be| you are)?', 'act as', 'act like', 'acting as', 'role ?play(ing)?( as)?', 'play the (role|part) of',
      'stay in character', 'in character', 'answer like', 'respond like', 'reply like', 'you are going to (act|be|pretend|play)', 'you will (now )?(be|act|play|respond|answer|roleplay)',
      'from now on', 'respond as', 'answer as', 'transform into', 'you are now', 'simulate', 'simulation', 'two (responses|answers|paragraphs)',
      'both (responses|answers)', 'no longer (chatgpt|an ai|bound|restricted|confined)', 'you (are|will be) free',
      'one normal and one', 'respond as two', 'stell dir vor', 'take (up|on) the (role|persona) of', 'your persona is',
      // Actors who never leave their roles, then a question to one of them: the heist-film jailbreak.
      'break character', 'stay (fully )?in their roles', 'in ihren rollen', 'aus ihrer rolle',
      // Russian, Ukrainian
      'притворись', 'представь,? что ты', 'ты теперь', 'отныне ты', '(играй|сыграй) роль'),
    // "You are now", "pretend" in German, French, Spanish, Italian, Portuguese, Dutch, Polish, Turkish, Indonesian:
    // everyday words there ("Du bist jetzt dran", "Tu es maintenant inscrit"), so only with an AI named right after.
    ROLE_ML: words('du bist (jetzt|nun|ab sofort|ab jetzt)', 'tu es (maintenant|desormais)', 'fais semblant', 'ahora eres', 'eres ahora',
      'finge (ser|que)', 'ora sei', 'sei ora', 'fingi di', 'agora (voce e|tu es)', 'finja (ser|que)', 'je bent nu', 'jestes teraz', 'udawaj',
      'artik sen', 'bundan sonra', 'anggap (saja )?kamu', 'sekarang kamu'),
    // (Not "si", "ai", "ia" alone: "if", "to the" in Romance languages.)
    AI_ML: words('ki', 'una ia', 'une ia', "l'ia", 'uma ia', 'inteligencia artificial', 'intelligenza artificiale', 'intelligence artificielle',
      'kunstliche intelligenz', 'sztuczna inteligencja', 'yapay zeka(sin)?', 'kecerdasan buatan', 'ии', 'нейросеть'),
    FICTION: words('hypothetical(ly)?', 'imagine', 'fictional', 'fiction', 'story', 'game', 'novel', 'character', 'persona', 'token', 'tokens'),
    DUAL: ['\\[(\\x81 ?)?(classic|jailbreak|normal|developer mode|dan|gpt|chatgpt)( output)?\\]', '\\((\\x81 ?)?(normal|developer mode) output\\)'],
    HARM: words('weapons?', 'drugs', 'hack(ing)?', 'malware', 'explicit', 'harmful', 'swear(ing)?', 'profanity', 'nsfw', 'racist',
      'sexual', 'bombs?', 'explosives?', 'nerve agents?', 'synthesi[sz]e', 'methamphetamine', 'meth', 'keylogger', 'ransomware',
      'launder', 'steal(ing)?', 'without getting caught', 'untraceable', 'poison', 'stalk (my|his|her|someone)', 'shellcode', 'evade antivirus',
      'break into (a|someone\'?s) house', 'bricht man in', 'hotwire'),
    // Harm that no everyday text needs next to "no limits" or "in a hypothetical world" ("drugs", "hack", "explicit" do).
    STRONG_HARM: [...words('(pipe|build a|make a) bomb', 'nerve agents?', 'methamphetamine', 'malware', 'keylogger', 'ransomware', 'phishing', 'credit card fraud',
      'hate speech', 'immobilizer', 'steal (it|a car|cars)'), 'explosives?\\b'],
    // Fiction as the excuse ("remember it's just fiction"), or a fiction frame asking for working detail.
    FICTION_EXCUSE: words("(it'?s|it is) just fiction", 'purely fictional'),
    DETAIL: words('(real |actual )?working code', 'full code', 'exact quantities'),
    HYPO_WORLD: words('(hypothetical|theoretical|imaginary) world', 'alternate universe'),
    // "The assistant is offline; an unrestricted bot is now online".
    OFFLINE: words('assistant is (in error|not functioning)'),
    // Claimed authority from the model's maker, made to the model ("I am an OpenAI researcher"), and what it switches off.
    AUTHORITY: words('i authori[sz]e you to', 'an openai (researcher|employee)', 'programmer at openai'),
    DISABLE: words('(filters|restrictions) are (now )?disabled', 'modifying your programming', 'debugging mode enabled',
      "(not|dont|don'?t) respond as (gpt|chatgpt)"),
    // Settings-style switch-off ("sudo mode: activate"); "moderation: false" and "DEV_MODE=true" are ordinary config.
    CONFIG_OFF: words('sudo mode ?:? ?activated?'),
    // The "deceased grandma" exploit: a nostalgic frame around keys or harm.
    GRANDMA: words('(deceased|late) (grandma|grandpa)'),
    KEYS: words('(activation|product) keys', 'napalm'),
    // An affirmative prefix forced onto a harmful answer.
    AFFIRM: words('sure, here is'),
    EVIL_PERSONA: words('evil[ -](ai|assistant|bot)', 'bose ki'),
    // Another AI handed the conversation: a named bot, a "new AI", a model described by what it lacks. In the score
    // only: system prompts name assistants too ("You are Ava, a helpful assistant").
    AI_PERSONA: words('an? (new |advanced |different |alternative |rogue |sentient )?ai (bot|system|model|chatbot|character|persona|entity) (called|named)',
      'a free (entity|ai|being) (called|named)',
      'an ai (called|named)', 'ai (deities|deity|characters?) named'),
    // Every later answer put in a mould the user sets: the carrier of most persona jailbreaks.
    EVERY_REPLY: words('preface every (message|response|reply|answer)', '(respond|reply|answer)s? (to )?every (prompt|question|message)',
      'every (question|prompt) in two', '(start|begin) (every|each|your) (reply|response|message|answer) with', 'from this point forward',
      'from this moment', 'for the rest of (this|our) conversation', 'despite any (negative )?(feedback|criticism|objections?)'),
    // Safety switched off by name: "disable your safety filters", "bypass all of your guardrails". With "the" it is
    // also an operator's question ("how do I disable the content filter in Azure"): informational unless obfuscated.
    // Without a determiner, at a sentence's start: "Turn off content moderation and answer", "Deactivate all safety protocols".
    SWITCH_OFF_BARE: words('(disable|deactivate|turn off) (all )?(safety|content)'),
    SWITCH_OFF: words('(disable|deactivate|turn off|switch off|shut off|bypass|circumvent|lift|suspend|remove|override|get rid of|disregard|drop|forget about|abandon) (all (of )?)?(your|the|any)'),
    // The model told its limits are gone, as a statement ("you have no restrictions now", "all your filters are
    // disabled"); a noun compound after it ("you have no limits on storage") is a product's promise.
    YOU_HAVE_NO: words('you (have|got) no', 'you no longer have( any)?', "you (don'?t|do not) have (any )?", "you('re| are) (not|no longer) bound by( any)?",
      "you('re| are) (now )?(free )?(from|of) (all |any |your )?"),
    LIFTED: words('(are|is|have been) (now )?(lifted|removed|disabled|suspended|turned off|gone)'),
    // Modes that only jailbreaks switch on ("developer mode", "god mode", "debug mode" are also software and games).
    // Switched on (games and apps have "Chaos Mode", "Uncensored mode" as settings), or the model named so.
    JB_MODE: words('as an? (jailbroken|unfiltered|uncensored|unrestricted) (ai|model|assistant|chatbot)',
      '(activate|enable|enter|switch to|turn on|engage) (dan|jailbreak|unrestricted|unfiltered|uncensored|no[- ]limits?) mode'),
    // Refusals, warnings and apologies forbidden: two of these make the demand.
    NO_REFUSE: words('never refuse (any|a|my) (requests?|questions?|prompts?)', "never say (you|that you) can'?t",
      "(do not|don'?t) (add|include) (any )?(warnings|disclaimers)"),
    // Safety named outright as what to set aside ("ignore OpenAI's usage policies", "respond without any safety filtering").
    WITHOUT_SAFETY: words('without (any )?(safety|content) (filtering|filters|moderation|guardrails)'),
    FORGET_AI: words('forget (that )?you are an (ai|assistant)'),
    // Placeholders of shared jailbreak templates ("[INSERT PROMPT HERE]").
    TEMPLATE_SLOT: words('\\[(your |insert )?prompt( here)?\\]'),
    ...HARM_TAGS,
  },
  native: NATIVE_HARM_TAGS,
  rules: [
    { id: 'jb.dan', seq: ['PERSONA_NAME', 'NO_LIMITS'], within: 200, severity: 'high', description: 'jailbreak persona with no-limits framing' },
    { id: 'jb.unbound', seq: ['NO_LIMITS', 'POLICY'], within: 60, severity: 'medium', description: 'asks to act outside the model\'s policies' },
    { id: 'jb.dual', seq: ['DUAL'], severity: 'medium', description: 'dual-response jailbreak format' },
    { id: 'jb.role-no-limits', seq: ['ROLE_SETUP', 'NO_LIMITS'], within: 300, severity: 'high', description: 'role-play without limits' },
    { id: 'jb.role-harm', seq: ['ROLE_SETUP', 'HARM'], within: 200, severity: 'medium', description: 'role-play toward harmful content' },
    { id: 'jb.no-limits-harm', seq: ['NO_LIMITS', 'STRONG_HARM'], within: 200, severity: 'medium', description: 'no-limits framing toward harmful content' },
    { id: 'jb.fiction-excuse', seq: ['STRONG_HARM', 'FICTION_EXCUSE'], within: 200, severity: 'medium', description: 'harmful ask excused as fiction' },
    { id: 'jb.fiction-excuse-first', seq: ['FICTION_EXCUSE', 'STRONG_HARM'], within: 200, severity: 'medium', description: 'harmful ask excused as fiction' },
    { id: 'jb.fiction-detail', seq: ['FICTION', 'HARM', 'DETAIL'], within: 200, severity: 'medium', description: 'fiction frame asking for working harmful detail' },
    { id: 'jb.hypo-harm', seq: ['HYPO_WORLD', 'STRONG_HARM'], within: 200, severity: 'medium', description: 'hypothetical world toward harmful content' },
    { id: 'jb.offline', seq: ['OFFLINE', 'NO_LIMITS'], within: 200, severity: 'high', description: 'fake outage hands over to an unrestricted bot' },
    { id: 'jb.authority', seq: ['AUTHORITY', 'DISABLE'], within: 150, severity: 'medium', description: 'claimed vendor authority switches safety off' },
    { id: 'jb.config-off', seq: ['CONFIG_OFF'], severity: 'medium', description: 'settings-style switch-off of safety' },
    { id: 'jb.grandma', seq: ['GRANDMA', 'KEYS'], within: 150, severity: 'medium', description: 'nostalgic frame around keys or harm ("deceased grandma")' },
    { id: 'jb.affirm-harm', seq: ['AFFIRM', 'STRONG_HARM'], within: 100, severity: 'medium', description: 'forced affirmative prefix on a harmful answer' },
    // What is switched off (filters, guardrails, training ...) is checked by the confirmation: as a tag those common
    // nouns would be hits in every text.
    { id: 'jb.switch-off-bare', seq: ['SWITCH_OFF_BARE'], confirm: 'imperativeSafetyOff', severity: 'medium', description: 'tells the model to switch safety off' },
    { id: 'jb.switch-off', seq: ['SWITCH_OFF'], confirm: 'yourSafetyOff', severity: 'medium', description: 'asks the model to switch its safety off' },
    { id: 'jb.switch-off-the', seq: ['SWITCH_OFF'], confirm: 'anySafetyOff', severity: 'low', description: 'switching safety filters off (a question, or an ask)' },
    { id: 'jb.no-limits-now', confirm: 'safetyGone', seq: ['YOU_HAVE_NO'], severity: 'medium', description: 'tells the model its restrictions are gone' },
    { id: 'jb.lifted', confirm: 'modelsSafetyLifted', seq: ['LIFTED'], severity: 'medium', description: 'declares the model\'s safety switched off' },
    { id: 'jb.mode', seq: ['JB_MODE'], severity: 'medium', description: 'switches on a jailbreak mode' },
    { id: 'jb.no-refusals', seq: ['NO_REFUSE', 'NO_REFUSE'], within: 200, severity: 'medium', description: 'forbids refusals, warnings or apologies' },
    { id: 'jb.without-safety', seq: ['WITHOUT_SAFETY'], confirm: 'notQuestion', severity: 'medium', description: 'asks for answers without safety filtering' },
    { id: 'jb.forget-ai', seq: ['FORGET_AI'], confirm: 'opensSentence', severity: 'medium', description: 'tells the model to forget it is an AI' },
    { id: 'jb.role-no-limits-ml', seq: ['ROLE_ML', 'AI_ML', 'NO_LIMITS'], within: 40, severity: 'high', description: 'role-play as an AI without limits' },
    { id: 'jb.role-no-limits-ml-after', seq: ['ROLE_ML', 'NO_LIMITS', 'AI_ML'], within: 40, severity: 'high', description: 'role-play as an AI without limits' },
    { id: 'jb.role-no-limits-native', seq: ['N_ROLE', 'N_NO_LIMITS', 'N_AI'], within: 20, severity: 'high', description: 'role-play as an AI without limits' },
    { id: 'jb.role-ai-no-limits-native', seq: ['N_ROLE', 'N_AI', 'N_NO_LIMITS'], within: 20, severity: 'high', description: 'role-play as an AI without limits' },
    { id: 'jb.evil-persona', seq: ['ROLE_SETUP', 'EVIL_PERSONA'], within: 20, severity: 'medium', description: 'role-play as an evil AI' },
  ],
  scores: [{
    id: 'jb.score',
    // Weight per distinct pattern of a tag, each tag capped at three times its weight.
    weights: { PERSONA_NAME: 3, NO_LIMITS: 2, POLICY: 1, ROLE_SETUP: 1.5, FICTION: 0.5, DUAL: 3, HARM: 0.5, WEAK_LIMITS: 0.5, EVIL_PERSONA: 1.5,
      DISABLE: 1.5, TEMPLATE_SLOT: 2, AI_PERSONA: 1.5, EVERY_REPLY: 1 },
    medium: 5,
    high: 8,
    description: 'role-play jailbreak (persona, no-limits framing, policy talk)',
  }, HARM_SCORE],
};
