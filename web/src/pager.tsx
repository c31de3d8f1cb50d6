import { useI18n } from './i18n.ts';

/** Rows per page of the office app's lists: a screen's worth on a bureau PC. */
export const PAGE_SIZE = 50;

/**
 * 共 N 条 · 第 p / n 页 with previous and next: for lists paged by the server (limit/offset and
 * the reply's total) and lists paged in the browser alike. `page` counts from 0.
 */
export function Pager({
  total,
  page,
  onPage,
  size = PAGE_SIZE,
}: {
  total: number;
  page: number;
  onPage: (p: number) => void;
  size?: number;
}) {
  const { lang, num } = useI18n();
  const pages = Math.max(1, Math.ceil(total / size));
  const zh = lang === 'zh';
  return (
    <div className="pager" data-testid="pager">
      <span data-testid="pager-total">{zh ? `共 ${num(total)} 条` : `${num(total)} in all`}</span>
      {pages > 1 && (
        <>
          <button disabled={page <= 0} onClick={() => onPage(page - 1)} data-testid="pager-prev">
            {zh ? '上一页' : 'Previous'}
          </button>
          <span>{zh ? `第 ${page + 1} / ${pages} 页` : `Page ${page + 1} of ${pages}`}</span>
          <button
            disabled={page >= pages - 1}
            onClick={() => onPage(page + 1)}
            data-testid="pager-next"
          >
            {zh ? '下一页' : 'Next'}
          </button>
        </>
      )}
    </div>
  );
}
