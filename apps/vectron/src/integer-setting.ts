/** An integer flag or environment value within [min, max]; throws a message naming the setting. */
export function toInt(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}: expected an integer between ${min} and ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}
