/**
 * A job's error as users may see it: absolute server paths shortened to their last part
 * (`…/corrupt.tif`), so an error never maps the server's folders. The full message goes to the
 * process log only. URLs are left as they are (their hosts are on the allow-list).
 */
export function redactPaths(message: string): string {
  return message
    .replace(/(?<![\w:/.\\~-])\/(?:[^/\s'"`(),;:]+\/)+([^/\s'"`(),;:]*)/g, '…/$1')
    .replace(/(?<![\w])[A-Za-z]:\\(?:[^\\\s'"`(),;:]+\\)+([^\\\s'"`(),;:]*)/g, '…\\$1');
}
