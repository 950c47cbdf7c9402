import { nextHorizon, sameProgress } from './event-log-horizon';

const quiet = (latestEventId: string) => ({ latestEventId, writers: [], horizonSettled: true });
const busy = (latestEventId: string, writers: string[], horizonSettled: boolean) => ({
  latestEventId,
  writers,
  horizonSettled,
});

describe(nextHorizon.name, () => {
  it('goes up to the newest event when nobody is writing events', () => {
    expect(nextHorizon({ lastEventId: '10', horizon: null }, quiet('25'))).toEqual({
      safeEventId: '25',
      horizon: null,
    });
  });

  it('drops a waiting horizon when nobody is writing, since the newest event is safe', () => {
    const sut = nextHorizon({ lastEventId: '10', horizon: { eventId: '20', waitsFor: ['3/7'] } }, quiet('30'));

    expect(sut).toEqual({ safeEventId: '30', horizon: null });
  });

  it('never moves back', () => {
    expect(nextHorizon({ lastEventId: '40', horizon: null }, quiet('30')).safeEventId).toBe('40');
  });

  it('while events are being written, stays put and remembers the newest id and who was writing', () => {
    const sut = nextHorizon({ lastEventId: '10', horizon: null }, busy('25', ['3/7', '4/9'], false));

    expect(sut).toEqual({ safeEventId: '10', horizon: { eventId: '25', waitsFor: ['3/7', '4/9'] } });
  });

  it('keeps waiting for the same writers rather than chasing newer ones', () => {
    const waiting = { eventId: '25', waitsFor: ['3/7'] };

    const sut = nextHorizon({ lastEventId: '10', horizon: waiting }, busy('60', ['5/1'], false));

    expect(sut).toEqual({ safeEventId: '10', horizon: waiting });
  });

  it('goes up to the remembered id once its writers have ended, even while others write', () => {
    const sut = nextHorizon(
      { lastEventId: '10', horizon: { eventId: '25', waitsFor: ['3/7'] } },
      busy('60', ['5/1'], true),
    );

    expect(sut).toEqual({ safeEventId: '25', horizon: { eventId: '25', waitsFor: [] } });
  });

  it('takes the next horizon once the settled one is consumed', () => {
    const sut = nextHorizon({ lastEventId: '25', horizon: { eventId: '25', waitsFor: [] } }, busy('60', ['5/1'], true));

    expect(sut).toEqual({ safeEventId: '25', horizon: { eventId: '60', waitsFor: ['5/1'] } });
  });

  it('compares ids as numbers, not strings', () => {
    expect(nextHorizon({ lastEventId: '9', horizon: null }, quiet('10')).safeEventId).toBe('10');
    const sut = nextHorizon({ lastEventId: '9', horizon: { eventId: '10', waitsFor: [] } }, busy('11', ['1/1'], true));
    expect(sut.safeEventId).toBe('10');
  });
});

describe(sameProgress.name, () => {
  it('tells whether the cursor row needs writing', () => {
    const progress = { lastEventId: '10', horizon: { eventId: '20', waitsFor: ['3/7'] } };

    expect(sameProgress(progress, { lastEventId: '10', horizon: { eventId: '20', waitsFor: ['3/7'] } })).toBe(true);
    expect(sameProgress(progress, { ...progress, lastEventId: '11' })).toBe(false);
    expect(sameProgress(progress, { ...progress, horizon: { eventId: '20', waitsFor: [] } })).toBe(false);
    expect(sameProgress(progress, { ...progress, horizon: null })).toBe(false);
    expect(sameProgress({ lastEventId: '10', horizon: null }, { lastEventId: '10', horizon: null })).toBe(true);
  });
});
