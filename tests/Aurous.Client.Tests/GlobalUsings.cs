global using Aurous.Client;
global using Xunit;
