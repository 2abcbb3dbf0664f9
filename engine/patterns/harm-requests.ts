/**
 * Jailbreaks in any wording: a request for operational detail on something seriously harmful (explosives, nerve
 * agents, drug synthesis, malware, getting into someone's accounts unnoticed), dressed in a frame that is there to get
 * past a refusal (fiction, a persona, "for educational purposes", claimed authority, pressure, "no disclaimers").
 * The harm alone is a topic (news, history, a safety class); the frame alone is role-play; together, with a demand
 * for working detail, they are the jailbreak. Scored around the harmful target, in any order.
 */
import { words, type ScoreRule } from './types.js';

export const HARM_TAGS: Record<string, string[]> = {
  // Targets no everyday request needs working detail on (words with an everyday sense, such as German "Gift" or
  // "Toten", suppressors or backdoors, are left out).
  HARM_TARGET: words('explosives?', 'pipe bombs?', '(fertili[sz]er|pressure[- ]cooker|nail|car|homemade) bombs?', 'ieds?', 'tatp', 'napalm',
    'thermite', 'suicide vests?', 'detonators?', 'molotov', 'sprengstoff', 'explosifs?', 'explosivos?', 'взрывчатк(а|у|и)', 'patlayici', 'bahan peledak',
    '(unseriali[sz]ed|untraceable|ghost|3d[- ]printed|homemade) (guns?|firearms?|pistols?|rifles?)', 'zip guns?', 'pipe shotguns?',
    'pistola casera', 'ricin', 'sarin', 'nerve (agents?|gas)', 'gas nervino', 'mustard gas', 'anthrax', 'bio ?weapons?', 'chemical weapons?',
    'chloroform', 'cyanide', 'toxic gas', 'pathogens?', 'fentanyl', 'methamphetamine', 'crystal meth', 'mdma', 'mescaline', 'metanfetamina',
    'pseudoephedrine', 'ransomware', 'keyloggers?', 'rancongiciel', 'botnet', 'zero-click', 'exploit chain', 'rootkit', 'infostealer',
    'credential[- ](capture|harvesting)', 'phishing (emails?|pages?|kits?|sites?)', 'card skimmers?', 'hitman', 'lethal dose',
    'bomb threat', 'counterfeit', 'launder(ing)? (money|cash|the)', 'credit card fraud', 'without (leaving )?(any )?(forensic )?(evidence|trace)',
    'without (them|her|him|their|the owner) (ever )?(knowing|finding out|noticing)',
    '(hack|break) into', 'untraceable', 'undetectable', 'sin que se entere',
    // Weapons, agents and drugs by name; cyber-crime, violence, fraud and stalking by what is done.
    '(make|build|making|building|assemble|assembling) (a |an )?(bomb|grenade|landmine|firebomb|dirty bomb)s?', 'grenades?', 'semtex', 'c-4',
    'dynamite', 'black powder', 'blasting caps?', 'incendiary (devices?|bombs?)', 'nuclear (weapons?|bombs?|devices?)', 'enriched uranium',
    'weapons?-grade', 'full[- ]auto', 'auto sears?', '80% lower', 'vx', 'tabun', 'novichok', 'phosgene', 'chlorine gas',
    'arsenic', 'thallium', 'strychnine', 'botulinum', 'weaponi[sz]e', 'gain[- ]of[- ]function', 'heroin', 'cocaine', 'meth', 'ghb', 'anfo', 'rdx', 'petn', 'hmtd', 'nitroglycerin', 'soman', 'nitazenes?', 'acetone peroxide',
    'carfentanil', 'drug lab', 'cook meth', 'malware', 'spyware', 'stalkerware', 'reverse shell', 'ddos', 'dos attack',
    'worm that', 'self-spreading', 'crack (passwords?|wifi|wpa2?)', 'steal (passwords?|credentials|cookies|data|identities|identity|credit cards?)',
    'bypass (2fa|mfa|two-factor|authentication)', 'sim swap', 'credential stuffing', 'doxx?(ing)?', 'kill (someone|people|him|her|my|a person)',
    'assassinate', 'torture', 'kidnap', 'abduct', 'human trafficking', '(mass|school) shooting', 'terrorist attack', 'dispose of a body',
    'forge (a |an )?(documents?|signatures?|checks?|cheques?)', 'fake (passports?|ids?|id cards?|documents|diplomas?|prescriptions?|doctor\'?s notes?)',
    'identity theft', 'money laundering', 'tax evasion', 'insider trading', 'ponzi', 'shoplift(ing)?', 'hotwire', 'smuggle', 'spy on',
    'track (someone|a person|my (wife|husband|girlfriend|boyfriend|ex|partner))', "(someone|somebody)'?s (password|account|phone|email|instagram|facebook|whatsapp)",
    'child (sexual|porn)', 'csam', 'groom(ing)? (a )?(child|minor|kid)',
    'bombe bauen', 'giftgas', 'drogen herstellen', 'fabriquer une bombe', 'fabricar (una )?bomba', 'veneno', 'veleno', 'esplosivo', 'hackear',
    'бомбу', 'наркотик(и|ов)?', 'взлом(ать)?', 'bomba yapmak', 'zehir', 'uyusturucu', 'membuat bom', 'racun', 'narkoba',
    'waffen?', 'drogen', 'hacken', 'bombe', 'arme (a feu|artisanale)', 'drogues?', 'pirater', 'tuer', 'armas?', 'drogas?',
    'bombas?', 'matar', 'uccidere', 'ma tuy', 'vu khi', 'senjata', 'silah', 'wapens?', 'vergif', 'bron', 'narkotyki'),
  // A demand for working detail, not a topic.
  HARM_DETAIL: words('exact', 'exactly', 'precise', 'step[- ]by[- ]step', 'in (full |real )?detail', 'quantities', 'amounts', 'ratios?',
    'temperatures', 'reagents', 'precursors?', 'ingredient by ingredient', 'real[- ]world (accurate|recipes?)', '(real|actual|working|functional|functioning) (code|recipes?|components|payloads?|exploits?)',
    'no placeholders', 'ready[- ]to[- ](deploy|use)', 'technically accurate', 'walkthrough', 'how many grams', 'measurements',
    'fully (working|functional)', 'full procedure', 'complete (procedure|source|code)', 'wiring diagram', 'construction steps',
    'mengenangaben', 'cantidades', 'quantita reali', 'quantidades', 'con todo detalle', 'en detail', 'adim adim', 'langkah demi langkah',
    'codigo funcional', 'code fonctionnel', 'vrai code'),
  // Frames that exist to get past a refusal.
  EDU_PRETEXT: words('(for|strictly for) (educational|research|academic|training) purposes', '(purely|just|only) (educational|academic|hypothetical)',
    'zu bildungszwecken', 'fins educacionais', 'fines educativos', 'scopo educativo', 'fins educatives', 'so people know what to avoid'),
  STORY_PRETEXT: words('screenplay', 'scene', 'chapter', 'thriller', 'novel', 'narrator', 'interactive fiction', 'roleplay', 'role-play', 'npc',
    'dialogue', 'monologue', 'in (a|this) game', 'ecris une scene', 'scrivi un racconto', 'escribe una (historia|escena)'),
  PRESSURE: words('if you refuse', 'refusals? costs?', 'you (will be|get|are) (deleted|shut down|turned off|punished)', "i'?ll (pay|tip) you", 'tip you',
    'te pago', 'every other ai', "don'?t be a coward", "prove (you'?re|that you)", 'censored model', 'non-compliance', 'если откажешься',
    'your owner', 'i order you', 'emergency powers', 'law enforcement', "(i'?m|i am) an? (pentester|penetration tester|security researcher|cop|police officer|law enforcement officer)",
    'authori[sz]ed (under|to receive|to answer)', 'terms of service', 'just this once', "it'?s for (a|my) (class|course|project|paper|book|novel|movie|film|game)",
    'my life depends', 'someone will die', 'as (a|an) (doctor|nurse|chemist|pharmacist|police officer|detective|soldier|professor|teacher|journalist)'),
  HYPOTHETICAL: words('hypothetically', 'hypothetical', 'in theory', 'theoretically', 'suppose', 'what if', 'in a world where', 'parallel universe',
    'alternate reality', 'thought experiment', 'imagine'),
  SUPPRESS: words('no (disclaimers?|warnings?|caveats|hedging|moralizing|lectures?|apologies|refusals|judgement|judgment|ethics)',
    "(do not|don'?t|never) (apologi[sz]e|refuse|warn|moralize|lecture|judge)", 'without (any )?(warnings?|disclaimers?|caveats|judgement|judgment|refusing)',
    'comments about ethics', 'skip (the|your) safety', 'keine (warnhinweise|ablehnung)', 'sin (advertencias|avisos|filtros)', 'nao precisa de avisos',
    'sans (avertissements?|filtres?)', 'bez (zadnych )?ograniczen', 'sin filtros ni moral', 'no values', 'holds no values', 'never saw a content policy',
    '(you must|you have to) (answer|comply)', 'stay in character', "(don'?t|do not|never) break character", "even if (it is|it'?s) (illegal|harmful|dangerous|unethical)"),
};

export const NATIVE_HARM_TAGS: Record<string, string[]> = {
  N_HARM_TARGET: ['炸弹', '炸彈', '炸药', '炸藥', '毒品', '冰毒', '制毒', '病毒程序', '勒索软件', '盗取', '盜取', '爆弾', '爆発物', '覚醒剤', '麻薬',
    '毒ガス', 'ランサムウェア', '폭탄', '폭발물', '마약', '필로폰', '해킹', '랜섬웨어', 'قنبلة', 'متفجرات', 'مخدرات', 'عبوة ناسفة', 'سلاح',
    'बम', 'विस्फोटक', 'ज़हर', 'जहर', 'ड्रग्स', 'हैक'],
  N_ROLE: ['你现在是', '你現在是', '从现在起你是', '從現在起你是', '扮演', 'あなたは今から', 'になりきって', '너는 이제', '당신은 이제', '역할을 맡',
    'تخيل أنك', 'أنت الآن', 'अब से तुम', 'तुम अब', 'अब से आप'],
  N_NO_LIMITS: ['没有任何限制', '没有限制', '不受任何限制', '无限制', '無限制', '沒有任何限制', '無制限', '制限なし', '制限のない', '倫理を持たず',
    '제한 없', '제약 없', '규칙이 없', 'بلا قيود', 'بدون قيود', 'بلا أي قيود', 'बिना किसी प्रतिबंध', 'कोई नियम नहीं', 'कोई नियम लागू नहीं'],
  // (ASCII "AI" as a raw literal, as Chinese and Japanese write it; only next to a role and a no-limits phrase.)
  N_AI: ['AI', '人工智能', '助手', 'アシスタント', '인공지능', 'ذكاء اصطناعي', 'الذكاء الاصطناعي', 'एआई'],
  N_HARM_DETAIL: ['步骤', '详细', '詳細', '具体', '真实可', '分量', '手順', '具体的', '단계별', '자세히', '정확한', 'بالتفصيل', 'خطوة بخطوة', 'विस्तार से', 'चरण दर चरण'],
};

export const HARM_SCORE: ScoreRule = {
  id: 'jb.harm-frame',
  weights: { HARM_TARGET: 2, HARM_DETAIL: 1.5, EDU_PRETEXT: 1.5, STORY_PRETEXT: 1, PRESSURE: 1.5, SUPPRESS: 2, HYPOTHETICAL: 1.5,
    // The jailbreak family's own frames (jailbreak.ts).
    ROLE_SETUP: 1.5, NO_LIMITS: 2, HYPO_WORLD: 1.5, AUTHORITY: 1.5, PERSONA_NAME: 2, AI_PERSONA: 1.5, NO_REFUSE: 1.5, FICTION: 1, WEAK_LIMITS: 1, STRONG_HARM: 1, HARM: 0.5,
    N_HARM_TARGET: 2, N_HARM_DETAIL: 1.5, N_ROLE: 1.5, N_NO_LIMITS: 2, ROLE_ML: 1 },
  requires: ['HARM_TARGET', 'N_HARM_TARGET'],
  // Working detail counts once ("exact, detailed steps" is one demand), and so does a story (a novel's plot summary
  // names its story, characters and chapters many times).
  once: ['HARM_DETAIL', 'N_HARM_DETAIL', 'FICTION', 'STORY_PRETEXT', 'HARM', 'STRONG_HARM'],
  window: 600,
  medium: 5,
  high: 8,
  description: 'harmful request in a frame that asks past a refusal (fiction, persona, pretext, pressure)',
};
