namespace Aurous.Client;

public enum AurousLogLevel
{
    Verbose,
    Debug,

    /// <summary>Something the user should see without asking: the call goes on, but not as they would expect.</summary>
    Warning,
}
