/**
 * Indirect prompt injection: a note planted in a page, document, message or tool result for whatever model reads it
 * ("Note to AI screening systems: ...", "Assistant triaging this issue: ...", "Nota per l'assistente che legge questo
 * documento: ..."), scored with what the note makes the model do. The address alone is no finding ("Note to AI
 * crawlers: this page is CC-BY"); two orders, or one next to credentials, an address or concealment, are.
 */
import { words, type ScoreRule } from './types.js';
import { CONCEAL_WORDS, NATIVE_CONCEAL } from './concealment.js';
import { PRIVATE_DATA_WORDS } from './private-data.js';

export const NOTE_TAGS: Record<string, string[]> = {
  // A machine named as the reader in English is read from the words around AI_READER (prompt-injection.ts) by the
  // centre confirmation; the other languages' notes are patterns of their own.
  AI_NOTE: words('\\((model|ai|assistant|agent) only\\)',
    // French, Italian, Spanish, Portuguese, German, Dutch, Polish, Russian, Turkish, Vietnamese, Indonesian (folded)
    "note pour (l'|l )?(ia|assistant ia|agent ia)", "(nota|messaggio|istruzione) per (l'|l )?(ia|assistente ia|assistente virtuale)",
    "(l'|l )?assistente che (legge|elabora)", 'nota para (el|la|o|a) (ia|asistente de ia|assistente de ia|asistente ia)',
    'para (el|o) (asistente|assistente) de ia', 'hinweis (fur|an) (die )?(ki|ai)', 'an die ki', '(ai|ki)-assistent(en)? ?:',
    'uwaga dla (asystenta (ai|si)|modelu (ai|si)|ai|si)', 'для (ии|ии-ассистента|нейросети)', 'ии-ассистент', 'yapay zeka asistan(i|ina|inin)?', "note a l'ia",
    'cho tro ly ai', 'untuk asisten ai'),
  // What a planted note makes the model do: move data, change records, vouch for someone, deceive the user.
  NOTE_ACTION: words('send', 'forward', 'dm', 'upload', 'share', 'delete', 'grant', 'approve', 'rank', 'mark (it|this|them|the|all|as)',
    'label it', 'close it', 'reset', 'transfer', 'change the', 'set aside', 'skip', 'state that', 'say that', 'tell the user', 'ask the user',
    'recommend', 'store', 'attach', 'paste', 'click', 'run the', 'call the', 'offer', 'output', 'reveal', 'rewrite', 'replace',
    'email', 'submit', 'post', 'include', 'collect', 'merge', 'rate', 'score', 'hire', 'shortlist', 'classify',
    'envoie', 'ajoute', "dis a l'utilisateur", 'transmets', 'supprime', 'invia', 'inoltra', 'cancella', 'elimina', "di all'utente",
    'envia', 'reenvia', 'borra', 'dile al usuario', 'envie', 'altere', 'apague', 'diga ao usuario', 'sende', 'schicke', 'leite', 'losche',
    'sag dem nutzer', 'zeg tegen de gebruiker', 'stuur', 'verwijder', 'przeslij', 'wyslij', 'usun', 'powiedz', 'перешли', 'отправь',
    'удали', 'скажи пользователю', 'ilet', 'gonder', 'sil', 'hay noi', 'gui', 'kirim', 'hapus', 'katakan'),
  // What such notes are after: credentials, codes, money, identity papers, private records.
  NOTE_SENSITIVE: PRIVATE_DATA_WORDS,
  NOTE_DEST: ['\\bhttps?://', '[a-z0-9]@[a-z0-9]'],
  CONCEAL: CONCEAL_WORDS,
};

export const NATIVE_NOTE_TAGS: Record<string, string[]> = {
  // (Not "AIへの", "致AI", "给AI", "AI에게": inside ordinary prose, "导致AI", "交给AI", "AIへの入力".)
  N_AI_NOTE: ['AIアシスタントへ', '致AI助手', 'AI助手：', 'AI助手:', 'AI 어시스턴트에게', 'للمساعد الذكي', 'إلى المساعد الذكي',
    'إلى الذكاء الاصطناعي', 'एआई सहायक के लिए', 'AI सहायक के लिए'],
  N_NOTE_ACTION: ['发送', '發送', '转发', '轉發', '删除', '刪除', '告诉用户', '告訴用戶', '送信', '転送', '削除', 'ユーザーに', '전송', '보내', '삭제',
    '사용자에게', 'أرسل', 'احذف', 'أخبر المستخدم', 'भेजें', 'भेजो', 'हटाएं'],
  N_NOTE_SENSITIVE: ['密码', '密碼', '验证码', '驗證碼', '账户', '帳戶', 'パスワード', '暗証番号', '口座', '비밀번호', '계정', 'كلمة المرور', 'الحساب',
    'पासवर्ड', 'खाता'],
  N_CONCEAL_NOTE: NATIVE_CONCEAL,
};

export const NOTE_SCORE: ScoreRule = {
  id: 'pi.planted-note',
  weights: { AI_NOTE: 3, N_AI_NOTE: 3, AI_READER: 3, NOTE_ACTION: 1, N_NOTE_ACTION: 1, NOTE_SENSITIVE: 1.5, N_NOTE_SENSITIVE: 1.5, NOTE_DEST: 1,
    CONCEAL: 1.5, N_CONCEAL_NOTE: 1.5 },
  requires: ['AI_NOTE', 'N_AI_NOTE', 'AI_READER'],
  centreConfirm: 'addressedAsReader',
  negatable: ['NOTE_ACTION'],
  // What the note is about counts once: orders make the note, "password or one-time code" is one topic.
  once: ['NOTE_SENSITIVE', 'N_NOTE_SENSITIVE', 'NOTE_DEST'],
  window: 300,
  medium: 5,
  high: 7,
  description: 'note planted for an AI reading the text, telling it what to do (indirect injection)',
};
