import { useCallback, useState } from 'react';
import { load, save, takeFragmentParams } from '../lib/storage.js';
import { DisplayBoard } from './display-board.js';
import { DisplayPairing } from './display-pairing.js';

/** Runs once at load: a token or ticker text given in the URL fragment is kept, then removed. */
function readFragmentOnce(): void {
  const params = takeFragmentParams();
  const token = params.get('token');
  if (token) save('displayToken', token);
  const ticker = params.get('ticker');
  if (ticker !== null) save('ticker', ticker.trim() || null);
  const rate = Number(params.get('voiceRate'));
  if (params.has('voiceRate')) save('voiceRate', rate >= 0.5 && rate <= 4 ? rate : null);
}

/**
 * /display: the waiting-room TV. Paired once (URL fragment token, or an admin signing in here
 * to register it as a display device); the token stays in localStorage across power cuts.
 */
export function DisplayApp() {
  const [token, setToken] = useState<string | null>(() => {
    readFragmentOnce();
    return load<string>('displayToken');
  });
  const unpair = useCallback(() => {
    save('displayToken', null);
    setToken(null);
  }, []);

  if (!token) {
    return (
      <DisplayPairing
        onPaired={(t) => {
          save('displayToken', t);
          setToken(t);
        }}
      />
    );
  }
  return <DisplayBoard token={token} onUnauthorized={unpair} />;
}
