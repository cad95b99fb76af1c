// Check digits that tell a real card number or IBAN from any long run of digits.

/** Luhn (ISO/IEC 7812-1) over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** ISO 13616 IBAN check: move the first four characters to the end, letters to numbers, mod 97 = 1. */
export function ibanValid(compact: string): boolean {
  if (compact.length < 15 || compact.length > 34) return false;
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let r = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 65) {
      // A-Z count as 10..35: two digits
      const v = c - 55;
      r = (r * 100 + v) % 97;
    } else r = (r * 10 + (c - 48)) % 97;
  }
  return r === 1;
}

/** Whether `s` is an IPv6 address in text form (RFC 4291 §2.2, with an optional embedded IPv4 tail). */
export function ipv6Valid(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  const doubles = s.split('::').length - 1;
  if (doubles > 1) return false;
  let groups = 0;
  const checkPart = (part: string, allowV4Tail: boolean): boolean => {
    if (part === '') return true;
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i]!;
      if (allowV4Tail && i === items.length - 1 && g.includes('.')) {
        if (!ipv4Valid(g)) return false;
        groups += 2;
        continue;
      }
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return false;
      groups++;
    }
    return true;
  };
  if (doubles === 1) {
    const [left, right] = s.split('::') as [string, string];
    if (!checkPart(left, false) || !checkPart(right, true)) return false;
    return groups < 8;
  }
  if (!checkPart(s, true)) return false;
  return groups === 8;
}

export function ipv4Valid(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0') || Number(p) > 255) return false;
  }
  return true;
}
