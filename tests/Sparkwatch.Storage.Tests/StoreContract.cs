namespace Sparkwatch.Storage.Tests;

/// <summary>
/// The life of a store under a contract test: each test gets one, created by the engine's subclass and initialised,
/// disposed after the test.
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    private IEventStore? _store;

    protected IEventStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>A new store over the test's storage, not yet initialised (over empty storage on the first call).</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    public async Task InitializeAsync() => await OpenAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
    }

    /// <summary>Opens (again) the test's store, as a restarted process would.</summary>
    protected async Task OpenAsync()
    {
        _store = await CreateStoreAsync();
        await _store.InitializeAsync();
    }
}
