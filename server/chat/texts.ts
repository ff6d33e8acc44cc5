/** The chat's own server-side texts (system messages, transcript mail), in English and German. */
export type ChatLanguage = 'en' | 'de';

const TEXTS = {
  en: {
    joined: (n: string) => `${n} joined the chat.`,
    invited: (n: string) => `${n} was invited.`,
    left: (n: string) => `${n} left the chat.`,
    transferred: (c: string) => `The chat was transferred to the channel ${c}.`,
    closed: (n: string) => `${n} closed the chat.`,
    mailSubject: 'Your chat with our service desk',
    mailIntro: (n: string) => `Hello ${n},\n\nthank you for chatting with us. This is the transcript of our conversation:\n\n`,
    transcriptTitle: (id: number) => `Chat #${id}`,
    ticketTitle: (n: string) => `Chat with ${n}`,
  },
  de: {
    joined: (n: string) => `${n} ist dem Chat beigetreten.`,
    invited: (n: string) => `${n} wurde eingeladen.`,
    left: (n: string) => `${n} hat den Chat verlassen.`,
    transferred: (c: string) => `Der Chat wurde an den Kanal ${c} übergeben.`,
    closed: (n: string) => `${n} hat den Chat beendet.`,
    mailSubject: 'Ihr Chat mit unserem Service-Desk',
    mailIntro: (n: string) => `Hallo ${n},\n\nvielen Dank für Ihren Chat mit uns. Hier ist das Protokoll unseres Gesprächs:\n\n`,
    transcriptTitle: (id: number) => `Chat Nr. ${id}`,
    ticketTitle: (n: string) => `Chat mit ${n}`,
  },
} as const;

/** The texts in `language` (English unless German). */
export function chatTexts(language: string) {
  return TEXTS[language === 'de' ? 'de' : 'en'];
}
