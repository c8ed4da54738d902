// What every printable certificate ends with: who issued it, how to check it, the verification
// address and its QR code (npm `qrcode`, rendered to a data URL in the browser).
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** The QR code of `url` as a PNG data URL (null until drawn, or when `url` is empty). */
export function useQrDataUrl(url: string): string | null {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return;
    let live = true;
    QRCode.toDataURL(url, { margin: 1, width: 180, errorCorrectionLevel: 'M' })
      .then((s) => live && setQr(s))
      .catch(() => live && setQr(null));
    return () => {
      live = false;
    };
  }, [url]);
  return qr;
}

export function CertificateFoot({ issuer, scan, url, qrTestId }: { issuer: string; scan: string; url: string; qrTestId: string }) {
  const qr = useQrDataUrl(url);
  return (
    <div className="certificate-foot">
      <div>
        <div>{issuer}</div>
        <div>{scan}</div>
        <div className="mono" style={{ wordBreak: 'break-all' }}>{url}</div>
      </div>
      {qr ? <img src={qr} alt={url} width={150} height={150} data-testid={qrTestId} /> : null}
    </div>
  );
}
