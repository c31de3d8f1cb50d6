/** All of standard input as text: passwords piped in (`--password-stdin`) stay out of argv and the shell history. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
