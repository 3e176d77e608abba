// office-addin-mock needs Node (it requires office-addin-manifest); in the browser test the
// recording mock Excel runs on this stand-in: properties are readable at once, load() and sync()
// do nothing. The Node tests use the real office-addin-mock.
export class OfficeMockObject {
  constructor(data: Record<string, unknown> = {}) {
    Object.assign(this, data);
  }
  load(): this {
    return this;
  }
  async sync(): Promise<void> {}
}
