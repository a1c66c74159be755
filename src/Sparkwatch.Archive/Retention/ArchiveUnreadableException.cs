namespace Sparkwatch.Archive.Retention;

/// <summary>A run's events are needed from the archive, and the archive cannot give them: state or part missing, part corrupt, a line short.</summary>
/// <param name="message">What is wrong, naming the run and the object.</param>
/// <param name="inner">The error that revealed it, if any.</param>
public sealed class ArchiveUnreadableException(string message, Exception? inner = null) : IOException(message, inner);
