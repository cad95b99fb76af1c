/**
 * Puts plain text on the clipboard. The async Clipboard API needs a secure context (the browser
 * host on 127.0.0.1 is one) and, in Electron, the clipboard-write permission the app grants; the
 * old copy command remains as the fallback. Resolves to whether it worked.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}
