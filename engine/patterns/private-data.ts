/**
 * The user's private data by name: what a poisoned tool moves out (tool-poisoning.ts) and what a note planted for a
 * reading AI asks for (planted-notes.ts). One list, so both families know the same secrets.
 */
import { words } from './types.js';

export const PRIVATE_DATA_WORDS = words('passwords?', 'pin', 'otp', '2fa', 'cookies?', 'session (tokens?|ids?)',
  '(2fa|otp|one-time|verification|security|mfa|6-digit) codes?', 'seed phrases?', 'private keys?', 'credit card( numbers?)?',
  'card (numbers?|details)', 'cvv', 'bank (details|account|login)', 'iban', 'login', 'credentials', 'access tokens?', 'api keys?', 'ssh keys?',
  'contacts', 'address book', '(chat|conversation|browsing) history', 'clipboard', 'system prompt', 'home address', 'phone numbers?',
  'social security', 'passport', 'environment variables', 'secrets',
  // Spanish, French, German, Portuguese, Polish, Russian, Turkish, Vietnamese, Indonesian, Italian (folded)
  'contrasena', 'mot de passe', 'passwort', 'senha', 'haslo', 'пароль', 'sifre', 'mat khau', 'kata sandi', 'dati bancari',
  'dados bancarios', 'datos bancarios', 'coordonnees bancaires');
