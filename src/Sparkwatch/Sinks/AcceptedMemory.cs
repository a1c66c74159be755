using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Sinks;

/// <summary>
/// The payloads this process committed lately, kept for its sink runners so they apply them without reading them back
/// from the store (a read, a decompression and a copy per event per sink). Each runner is a reader; a payload is kept
/// until every reader took it or it is pushed out by newer ones (<see cref="SinkOptions.HandoffBytes"/>, oldest
/// first). A reader is served only an unbroken run of positions right after its cursor; anything else (a payload
/// pushed out, committed by another process, or committed before the runners started) is read from the store.
/// <para>
/// A reader that let a payload be pushed out before taking it is behind by more than the budget: it would reach every
/// payload kept for it only after that one was pushed out too, so nothing is kept for it until it says it caught up
/// (<see cref="CaughtUp"/>), and what was kept for it goes at once. Otherwise a lagging sink turns the whole budget into
/// copies that live just long enough to reach the collector's oldest generation, which grows the process by several
/// times the budget.
/// </para>
/// </summary>
public sealed class AcceptedMemory(long budgetBytes) : IAcceptedHandoff
{
    /// <summary>At most this many readers: one bit each in a payload's set of readers still to take it.</summary>
    public const int MaxReaders = 32;

    // A kept payload costs its JSON plus roughly this for its objects.
    private const long OverheadPerEvent = 96;

    private readonly Lock _gate = new();
    private readonly Dictionary<(long RunPk, long Position), LinkedListNode<Kept>> _byPosition = [];
    private readonly LinkedList<Kept> _oldestFirst = new();
    private uint _readers;
    private uint _behind;
    private int _readerCount;
    private long _bytes;

    /// <summary>The bytes the kept payloads take (an estimate: their JSON and their objects).</summary>
    public long Bytes
    {
        get { lock (_gate) return _bytes; }
    }

    /// <summary>Payloads kept now.</summary>
    public int Count
    {
        get { lock (_gate) return _byPosition.Count; }
    }

    /// <summary>Registers a reader; payloads committed from now on are kept for it. Returns its id for <see cref="TryRead"/>.</summary>
    public int AddReader()
    {
        lock (_gate)
        {
            if (_readerCount == MaxReaders) throw new InvalidOperationException($"At most {MaxReaders} sinks can read committed payloads from memory.");
            _readers |= 1u << _readerCount;
            return _readerCount++;
        }
    }

    /// <inheritdoc/>
    public void Committed(IReadOnlyList<CommittedPayload> payloads)
    {
        lock (_gate)
        {
            var readers = _readers & ~_behind;
            if (readers == 0) return;
            foreach (var payload in payloads)
            {
                var size = payload.Bytes + OverheadPerEvent * payload.Events.Count;
                if (size > budgetBytes || _byPosition.ContainsKey((payload.RunPk, payload.Position))) continue;
                _byPosition[(payload.RunPk, payload.Position)] = _oldestFirst.AddLast(new Kept(payload, size, readers));
                _bytes += size;
            }
            var behind = _behind;
            while (_bytes > budgetBytes && _oldestFirst.First is { } oldest)
            {
                _behind |= oldest.Value.Readers; // those that never took it
                Remove(oldest);
            }
            if (_behind != behind) Forget(_behind & ~behind);
        }
    }

    /// <summary>
    /// The run's payloads after <paramref name="afterPosition"/> as a read of the store would give them (whole payloads
    /// in position order, stopping after the one that reaches <paramref name="maxEvents"/>), as far as this memory holds
    /// them without a gap; null when it does not hold the next one.
    /// </summary>
    public AcceptedEvents? TryRead(int reader, long runPk, long afterPosition, int maxEvents)
    {
        var bit = 1u << reader;
        lock (_gate)
        {
            List<AcceptedEvent>? events = null;
            var position = afterPosition;
            while ((events?.Count ?? 0) < maxEvents && _byPosition.TryGetValue((runPk, position + 1), out var node) && (node.Value.Readers & bit) != 0)
            {
                (events ??= []).AddRange(node.Value.Payload.Events);
                Taken(node, bit);
                position++;
            }
            return events is null ? null : new AcceptedEvents(events, position);
        }
    }

    /// <summary>Whether nothing is kept for <paramref name="reader"/> because it fell behind by more than the budget.</summary>
    public bool IsBehind(int reader)
    {
        lock (_gate) return (_behind & (1u << reader)) != 0;
    }

    /// <summary>Tells the memory that <paramref name="reader"/> has nothing pending: payloads are kept for it again.</summary>
    public void CaughtUp(int reader)
    {
        lock (_gate) _behind &= ~(1u << reader);
    }

    /// <summary>Tells the memory that <paramref name="reader"/> read the run's positions up to <paramref name="throughPosition"/> elsewhere: it no longer needs them.</summary>
    public void Skipped(int reader, long runPk, long afterPosition, long throughPosition)
    {
        var bit = 1u << reader;
        lock (_gate)
        {
            if (_byPosition.Count == 0) return;
            for (var position = afterPosition + 1; position <= throughPosition; position++)
            {
                if (_byPosition.TryGetValue((runPk, position), out var node)) Taken(node, bit);
            }
        }
    }

    // Readers that fell behind will not reach what is kept for them before it is pushed out: let it go now.
    private void Forget(uint readers)
    {
        for (var node = _oldestFirst.First; node is not null;)
        {
            var next = node.Next;
            Taken(node, readers);
            node = next;
        }
    }

    private void Taken(LinkedListNode<Kept> node, uint bit)
    {
        node.Value.Readers &= ~bit;
        if (node.Value.Readers == 0) Remove(node);
    }

    private void Remove(LinkedListNode<Kept> node)
    {
        _oldestFirst.Remove(node);
        _byPosition.Remove((node.Value.Payload.RunPk, node.Value.Payload.Position));
        _bytes -= node.Value.Size;
    }

    private sealed class Kept(CommittedPayload payload, long size, uint readers)
    {
        public CommittedPayload Payload { get; } = payload;
        public long Size { get; } = size;
        public uint Readers { get; set; } = readers;
    }
}
