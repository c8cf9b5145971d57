// Asio and Beast compiled once for the whole program (separate compilation, architecture.md).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
