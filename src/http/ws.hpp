#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>

#include "http/state.hpp"

namespace jack::http {

// Takes over a connection whose request asked for a WebSocket upgrade: /ws?token=<access
// token> (staff events, api.md) or /ws/chat?token=<web-chat session token> (the guest's
// conversation, live). The token is checked before the handshake is accepted (401 or 403
// otherwise, as for REST); the socket then lives on its own strand until it closes.
void AcceptWebSocket(AppState& state, boost::beast::tcp_stream stream,
                     boost::beast::http::request<boost::beast::http::string_body> request,
                     std::string remote_ip);

}  // namespace jack::http
