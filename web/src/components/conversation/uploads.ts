import type { Attachment } from '@atende/core';
import { computed, ref } from 'vue';
import { refusalOf, type AttachmentPolicy, type Refusal } from '@/components/media/policy';
import { userMessage } from '@/i18n/errors';

/** A file on its way into a message: uploading, uploaded, or refused (with the reason). */
export interface PendingUpload {
  key: string;
  name: string;
  size: number;
  mime: string;
  progress: number;
  attachment: Attachment | null;
  error: string | null;
}

interface Options {
  policy: () => AttachmentPolicy | null;
  upload: (file: File, onProgress: (fraction: number) => void) => Promise<Attachment>;
  explain: (refusal: Refusal) => string;
  locale: () => string;
}

let seq = 0;

/**
 * The composer's tray. A file the policy refuses stays in the tray with its
 * reason and is never sent to the server; the others upload at once, so
 * sending only waits for what is still on its way.
 */
export function useUploads(options: Options) {
  const items = ref<PendingUpload[]>([]);
  const patch = (key: string, fields: Partial<PendingUpload>) => {
    items.value = items.value.map((i) => (i.key === key ? { ...i, ...fields } : i));
  };

  /** Adds files to the tray; each comes back with its key and the end of its upload (or refusal). */
  function add(files: readonly File[]): { key: string; done: Promise<void> }[] {
    return files.map((file) => {
      const key = `u${(seq += 1)}`;
      const refusal = refusalOf(file, options.policy(), options.locale());
      items.value = [
        ...items.value,
        { key, name: file.name, size: file.size, mime: file.type, progress: 0, attachment: null, error: refusal ? options.explain(refusal) : null },
      ];
      if (refusal) return { key, done: Promise.resolve() };
      const done = options
        .upload(file, (fraction) => patch(key, { progress: fraction }))
        .then((attachment) => patch(key, { attachment, progress: 1 }))
        .catch((e: unknown) => patch(key, { error: userMessage(e) }));
      return { key, done };
    });
  }

  /** Adds a file that is already on the server somewhere (a quick reply's) while `copy` brings it into the ticket. */
  function adopt(file: Pick<PendingUpload, 'name' | 'size' | 'mime'>, copy: () => Promise<Attachment>): { key: string; done: Promise<void> } {
    const key = `u${(seq += 1)}`;
    items.value = [...items.value, { key, name: file.name, size: file.size, mime: file.mime, progress: 0, attachment: null, error: null }];
    const done = copy()
      .then((attachment) => patch(key, { attachment, progress: 1 }))
      .catch((e: unknown) => patch(key, { error: userMessage(e) }));
    return { key, done };
  }

  const remove = (key: string) => (items.value = items.value.filter((i) => i.key !== key));
  const clear = () => (items.value = []);
  const uploading = computed(() => items.value.some((i) => !i.attachment && !i.error));
  const attachments = computed(() => items.value.flatMap((i) => (i.attachment ? [i.attachment] : [])));
  const refused = computed(() => items.value.filter((i) => i.error));

  return { items, add, adopt, remove, clear, uploading, attachments, refused };
}
