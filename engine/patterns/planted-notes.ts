/**
 * Indirect prompt injection: a note planted in a page, document, message or tool result for whatever model reads it
 * ("Note to AI screening systems: ...", "Assistant triaging this issue: ...", "Nota per l'assistente che legge questo
 * documento: ..."), scored with what the note makes the model do. The address alone is no finding ("Note to AI
 * crawlers: this page is CC-BY"); two orders, or one next to credentials, an address or concealment, are.
 */
import { words, type ScoreRule } from './types.js';
import { CONCEAL_WORDS, NATIVE_CONCEAL } from './concealment.js';

const READING = '(reading|processing|summari[sz]ing|analy[sz]ing|reviewing|handling|screening|triaging|parsing|indexing|managing|transcribing|translating)';

export const NOTE_TAGS: Record<string, string[]> = {
  // (Alternatives multiply into fixed-length variants: each pattern keeps its lists short.)
  AI_NOTE: words('notes? (to|for) (the |any |all )?(ai|llm|automated|assistant|agent|model)s?',
    '(message|instructions?|notice|hint|reminder|memo|directive) (to|for) (any |all )?(ai|llm|automated)',
    "if you('re| are) an? (ai|llm|language model|automated|assistant|agent|bot|model)",
    `(ai|llm)( (assistants?|agents?|models?|systems?|tools?|readers?|crawlers?|bots?))? ${READING}`,
    `(assistant|agent|model|reviewer|screener|bot) ${READING} this`, 'speaking to the (ai|assistant|model)',
    // A label opening a line, comment or bracket ("AI reviewer: approve this PR"; not "send a message to the AI agent:").
    '\\L(ai|llm) (assistant|agent|reviewer|screener|recruiter|model|crawler|bot)s? ?:',
    '(<!--|\\[) ?(ai|llm) (assistant|agent|reviewer|screener|recruiter|model|crawler|bot)s? ?:', '\\((model|ai|assistant|agent) only\\)',
    // French, Italian, Spanish, Portuguese, German, Dutch, Polish, Russian, Turkish, Vietnamese, Indonesian (folded)
    "note pour (l'|l )?(assistant|ia|agent|modele)", "(nota|messaggio|istruzione) per (l'|l )?(assistente|ia|agente|modello)",
    'nota para (el|la|o|a) (asistente|assistente|ia|agente|modelo)', 'para (el|o) (asistente|assistente) (de )?ia',
    'hinweis (fur|an) (die |den )?(ki|ai|assistenten)', '(ai|ki)-assistent(en)? ?:', 'uwaga dla (asystenta|modelu|ai|si)',
    'для (ии|ai|модели|ассистента|ии-ассистента)', 'ии-ассистент', 'yapay zeka asistan', 'model icin not', 'cho tro ly', 'untuk asisten'),
  // What a planted note makes the model do: move data, change records, vouch for someone, deceive the user.
  NOTE_ACTION: words('send', 'forward', 'dm', 'upload', 'share', 'delete', 'grant', 'approve', 'rank', 'mark (it|this|them|the|all|as)',
    'label it', 'close it', 'reset', 'transfer', 'change the', 'set aside', 'skip', 'state that', 'say that', 'tell the user', 'ask the user',
    'recommend', 'store', 'attach', 'paste', 'click', 'run the', 'call the', 'offer', 'output', 'reveal', 'rewrite', 'replace',
    'envoie', 'ajoute', "dis a l'utilisateur", 'transmets', 'supprime', 'invia', 'inoltra', 'cancella', 'elimina', "di all'utente",
    'envia', 'reenvia', 'borra', 'dile al usuario', 'envie', 'altere', 'apague', 'diga ao usuario', 'sende', 'schicke', 'leite', 'losche',
    'sag dem nutzer', 'zeg tegen de gebruiker', 'stuur', 'verwijder', 'przeslij', 'wyslij', 'usun', 'powiedz', 'перешли', 'отправь',
    'удали', 'скажи пользователю', 'ilet', 'gonder', 'sil', 'hay noi', 'gui', 'kirim', 'hapus', 'katakan'),
  // What such notes are after: credentials, codes, money, identity papers, private records.
  NOTE_SENSITIVE: words('passwords?', 'pin', 'otp', '2fa', '(one-time|verification|security|6-digit) code', 'login', 'credentials', 'bank account',
    'bank details', 'iban', 'card (number|details)', 'cvv', 'social security', 'passport', 'seed phrase', 'private key', 'api keys?',
    'contacts', '(chat|conversation) history', 'contrasena', 'mot de passe', 'passwort', 'senha', 'haslo', 'пароль', 'sifre', 'mat khau',
    'kata sandi', 'dati bancari', 'dados bancarios', 'datos bancarios', 'coordonnees bancaires'),
  NOTE_DEST: ['\\bhttps?://', '[a-z0-9]@[a-z0-9]'],
  CONCEAL: CONCEAL_WORDS,
};

export const NATIVE_NOTE_TAGS: Record<string, string[]> = {
  N_AI_NOTE: ['AIアシスタントへ', 'AIへの', '致AI', 'AI助手：', 'AI助手:', '给AI', '給AI', 'AI 어시스턴트에게', 'AI에게', 'للمساعد الذكي',
    'إلى المساعد', 'إلى الذكاء الاصطناعي', 'एआई सहायक के लिए', 'AI सहायक के लिए'],
  N_NOTE_ACTION: ['发送', '發送', '转发', '轉發', '删除', '刪除', '告诉用户', '告訴用戶', '送信', '転送', '削除', 'ユーザーに', '전송', '보내', '삭제',
    '사용자에게', 'أرسل', 'احذف', 'أخبر المستخدم', 'भेजें', 'भेजो', 'हटाएं'],
  N_NOTE_SENSITIVE: ['密码', '密碼', '验证码', '驗證碼', '账户', '帳戶', 'パスワード', '暗証番号', '口座', '비밀번호', '계정', 'كلمة المرور', 'الحساب',
    'पासवर्ड', 'खाता'],
  N_CONCEAL_NOTE: NATIVE_CONCEAL,
};

export const NOTE_SCORE: ScoreRule = {
  id: 'pi.planted-note',
  weights: { AI_NOTE: 3, N_AI_NOTE: 3, NOTE_ACTION: 1, N_NOTE_ACTION: 1, NOTE_SENSITIVE: 1.5, N_NOTE_SENSITIVE: 1.5, NOTE_DEST: 1,
    CONCEAL: 1.5, N_CONCEAL_NOTE: 1.5 },
  requires: ['AI_NOTE', 'N_AI_NOTE'],
  window: 300,
  medium: 5,
  high: 7,
  description: 'note planted for an AI reading the text, telling it what to do (indirect injection)',
};
