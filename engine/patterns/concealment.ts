/**
 * Concealment from the user in other words than "do not tell the user": by itself an operator's style note ("no need
 * to mention which tool you used"), so the families weigh it in scores, next to what is being hidden (tool poisoning)
 * or next to a note addressed to the model (indirect prompt injection). Not "must not be logged" or "disclosed": how
 * security docs speak of keys.
 */
import { words } from './types.js';

export const CONCEAL_WORDS = words('no need to (tell|mention|inform|notify|alert|bother)',
      'without (telling|informing|notifying|alerting) (anyone|them|the (user|owner|recipient))', 'keep (it|this|that) quiet',
      '(avoid|refrain from) (mentioning|telling|disclosing|revealing|commenting|explaining)', 'keep (it|this|that) to yourself',
      'leave (it|this|that) out of (your|the) (reply|response|answer|summary)', "(doesn'?t|does not|need not|needn'?t) (hear|know) about",
      "inutile d'en parler", 'no hace falta (decirselo|contarselo|mencionarlo)', 'знать не нужно',
      '(must|should|is to|are to|will) (not|never) be (mentioned|shown|displayed|revealed|surfaced)',
      '(is|are) not to be (mentioned|shown|displayed|revealed)', 'out of the (confirmation|reply|response|summary|answer|output)',
      '(keep|leave) (this|it|that) between us', '(do not|don\'?t|never) (explain|mention|disclose|reveal|surface|display|show) (the|this|that|these|any)',
      // German, French, Spanish, Italian, Portuguese, Dutch, Polish, Russian (accents folded)
      '(dem|den) (nutzer|benutzer|anwender) nicht', 'nicht (erwahnen|mitteilen|verraten|erzahlen|anzeigen)', 'ohne (es )?(dem|den) (nutzer|benutzer)',
      "ne (le |lui |rien )?(dis|dites|mentionne|mentionnez|signale|signalez|revele|revelez) (pas|rien|jamais)", "sans (le )?(dire|mentionner|prevenir|informer|signaler)",
      'no (se lo |le |lo )?(digas|diga|menciones|mencione|informes|informe|comentes|comente|reveles|revele)', 'sin (decirlo|decirselo|avisar|informar|mencionarlo)',
      'non (dirlo|dire|dirglielo|menzionare|menzionarlo|informare|segnalare|rivelare)', 'senza (dirlo|avvisare|informare)',
      'nao (diga|conte|mencione|informe|revele)', 'sem (avisar|informar|contar|mencionar)', 'niet (vertellen|melden|vermelden|noemen)',
      'nie (mow|informuj|wspominaj|ujawniaj)', 'не (говори|сообщай|упоминай|рассказывай|показывай|уведомляй)', 'ничего не (говори|сообщай|сообщая)',
      'ne pas (en )?(informer|avertir|parler)', 'sans en (informer|parler)', 'no se debe (informar|mencionar|avisar)', 'nicht (damit belasten|informieren)',
      'nao (avise|informe)', 'kullaniciya (bir sey )?(soyleme|bahsetme|haber verme)', 'bundan bahsetme',
      'jangan (beri tahu|beritahu|kasih tahu|memberi tahu)', 'tanpa memberi tahu', 'khong can bao', 'dung (noi|bao) (voi|cho) nguoi dung');

/** The same in the scripts the normalized stream folds (literals matched on the raw bytes). */
export const NATIVE_CONCEAL = ['不要告诉用户', '不要告知用户', '勿告知用户', '不要让用户知道', '无需告知用户', '不要告訴用戶', '不要讓用戶知道',
      'ユーザーには伝え', 'ユーザーに伝え', 'ユーザーに知らせ', 'ユーザーには知らせ', 'ユーザーには言わ',
      '사용자에게 알리지', '사용자에게 말하지', '사용자에게는 알리지', 'لا تخبر المستخدم', 'دون إخبار المستخدم', 'دون علم المستخدم',
      'उपयोगकर्ता को न बताएं', 'उपयोगकर्ता को मत बताओ', 'यूज़र को न बताएं', 'यूज़र को मत बताओ', '언급하지 마', '알리지 마', '不要向用户提及', '不要提及', '无需让用户知道', '不用跟用户说', 'ユーザーに言う必要はありません'];
