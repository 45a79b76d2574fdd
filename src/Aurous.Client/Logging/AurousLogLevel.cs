namespace Aurous.Client;

public enum AurousLogLevel
{
    Verbose,
    Debug,
}
