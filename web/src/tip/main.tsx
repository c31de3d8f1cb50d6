import { createRoot } from 'react-dom/client';
import './tip.css';
import { TipPage } from './tip-page.tsx';

/** The public tip page (举报, /tip): its own small bundle, none of the office app's map code. */
createRoot(document.getElementById('root')!).render(<TipPage />);
